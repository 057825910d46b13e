package models

// RawExec runs a statement on the store's database, for the external tests only: proving
// that the database itself refuses to change the audit log needs statements that the Store,
// on purpose, never offers. Being in a _test.go file, it is no part of the package's API.
func RawExec(s *Store, sql string, args ...any) error {
	return s.db.Exec(sql, args...).Error
}
