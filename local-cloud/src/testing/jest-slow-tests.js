// Integration and e2e tests start JVMs, brokers and whole regions: give each test two minutes, not 5 s.
// (A project's `testTimeout` is not honoured inside `projects`; this is the per-project equivalent.)
jest.setTimeout(120_000);
