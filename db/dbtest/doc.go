// Package dbtest holds test helpers for code built on [db.FS]: [TestFS], the conformance
// suite every FS implementation passes, and [FaultFS], a wrapper that fails or "kills" at a
// chosen operation so crash tests can prove that no data is lost or duplicated.
package dbtest
