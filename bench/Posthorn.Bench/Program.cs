// Placeholder until the benchmark scenarios land: prints nothing and exits 0.
return 0;
