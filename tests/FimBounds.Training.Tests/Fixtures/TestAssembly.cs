// libtorch's RNG and thread count are process-wide and every test here seeds them: tests run one at
// a time (on two cores, parallel tests would only oversubscribe libtorch's threads anyway).
// The native workarounds are applied by tests/Shared/NativeBackendInitializer.cs, linked in.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
