// Each test starts a real host, sshd processes and short deadlines: run them one at a time so that load from
// another test never decides whether a deadline fires.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
