package models

import "gorm.io/gorm"

// RawDB is the store's database, for the external tests only: reading fixtures (the écoles
// of a commune) and kept tables directly. Being in a _test.go file, it is no part of the
// package's API.
func RawDB(s *Store) *gorm.DB { return s.db }
