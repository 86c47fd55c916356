// Tests share libtorch's global RNG (module initialisation) and thread pool: run them one at a time so
// every result is deterministic.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
