// Tests share libtorch's global RNG (module initialisation) and thread pool: run them one at a time so
// every result is deterministic. The native workarounds are applied by tests/Shared/NativeBackendInitializer.cs.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
