package models

import "gorm.io/gorm"

// candidatureDocuments is how a candidature owns the documents of its file: read as the
// candidature, written by whoever changes its file (CanEditCandidature).
var candidatureDocuments = DocumentOwner{
	Read: func(tx *gorm.DB, scope Scope, id int64) error {
		_, err := getCandidature(tx, scope, id)
		return err
	},
	Write: func(tx *gorm.DB, actor Actor, id int64) error {
		c, err := getCandidature(tx, actor.Scope, id)
		if err == nil && !CanEditCandidature(actor, c) {
			err = ErrForbidden
		}
		return err
	},
}
