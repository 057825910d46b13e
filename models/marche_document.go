package models

import "gorm.io/gorm"

// DocumentMarche is the owner kind of a market's documents: the DCE, the CCTP, the
// rapport d'analyse des offres, the notification.
const DocumentMarche = "marche"

// marcheDocuments is how a market owns its documents: read as the market, written by
// whoever writes it (CanWriteMarche).
var marcheDocuments = DocumentOwner{
	Read: func(tx *gorm.DB, scope Scope, id int64) error {
		_, err := getMarche(tx, scope, id)
		return err
	},
	Write: func(tx *gorm.DB, actor Actor, id int64) error {
		m, err := getMarche(tx, actor.Scope, id)
		if err == nil && !CanWriteMarche(actor, m.Marche) {
			err = ErrForbidden
		}
		return err
	},
}
