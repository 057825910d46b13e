package app

import (
	"net/http"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// The read-only JSON API of conventions: the registry's page with, for each convention, its
// parties, avenants and annex (same filters and scope as the registry).

type conventionPartyJSON struct {
	OrganisationID int64   `json:"organisation_id"`
	Organisation   string  `json:"organisation"`
	Signataire     string  `json:"signataire"`
	Fonction       string  `json:"fonction"`
	DateSignature  *string `json:"date_signature"`
}

type avenantJSON struct {
	Numero             int     `json:"numero"`
	Objet              string  `json:"objet"`
	Description        string  `json:"description"`
	DateSignature      *string `json:"date_signature"`
	DateEffet          *string `json:"date_effet"`
	NouvelleExpiration *string `json:"nouvelle_expiration"`
}

type annexEcoleJSON struct {
	UAI           string `json:"uai"`
	Nom           string `json:"nom"`
	CodeINSEE     string `json:"code_insee"`
	Commune       string `json:"commune"`
	NbEleves      int64  `json:"nb_eleves"`
	AvenantNumero *int   `json:"avenant_numero"`
}

type conventionJSON struct {
	ID               int64                 `json:"id"`
	Reference        string                `json:"reference"`
	Type             string                `json:"type"`
	ParentID         *int64                `json:"parent_id"`
	ParentReference  string                `json:"parent_reference,omitempty"`
	Departement      string                `json:"departement,omitempty"`
	EPCISiren        *string               `json:"epci_siren"`
	Titre            string                `json:"titre"`
	Objet            string                `json:"objet"`
	Statut           string                `json:"statut"`
	CharteVersionID  *int64                `json:"charte_version_id"`
	DateDeliberation *string               `json:"date_deliberation"`
	DateSignature    *string               `json:"date_signature"`
	DateEffet        *string               `json:"date_effet"`
	DateExpiration   *string               `json:"date_expiration"`
	DateFin          *string               `json:"date_fin"`
	PreavisMois      *int                  `json:"preavis_mois"`
	Renouvellement   string                `json:"renouvellement"`
	DateResiliation  *string               `json:"date_resiliation"`
	MotifResiliation string                `json:"motif_resiliation,omitempty"`
	Communes         []string              `json:"communes"`
	Parties          []conventionPartyJSON `json:"parties"`
	Avenants         []avenantJSON         `json:"avenants"`
	Annexe           []annexEcoleJSON      `json:"annexe"`
	NbEleves         int64                 `json:"nb_eleves"`
	ModifieeLe       time.Time             `json:"modifiee_le"`
	Version          int                   `json:"version"`
}

// isoDay is a DATE column as YYYY-MM-DD, nil when empty.
func isoDay(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.UTC().Format("2006-01-02")
	return &s
}

func toConventionJSON(c models.ConventionRow) conventionJSON {
	out := conventionJSON{ID: c.ID, Reference: c.Reference, Type: c.Kind, ParentID: c.ParentID, ParentReference: c.ParentReference,
		Departement: c.Departement(), EPCISiren: c.EPCISiren, Titre: c.Titre, Objet: c.Objet, Statut: c.Statut,
		CharteVersionID: c.CharteVersionID, DateDeliberation: isoDay(c.DateDeliberation), DateSignature: isoDay(c.DateSignature),
		DateEffet: isoDay(c.DateEffet), DateExpiration: isoDay(c.DateExpiration), DateFin: isoDay(c.DateFin),
		PreavisMois: c.PreavisMois, Renouvellement: c.Renouvellement, DateResiliation: isoDay(c.DateResiliation),
		MotifResiliation: c.MotifResiliation, NbEleves: c.ElevesAnnexe(), ModifieeLe: c.UpdatedAt.UTC(), Version: c.Version,
		Communes: []string{}, Parties: []conventionPartyJSON{}, Avenants: []avenantJSON{}, Annexe: []annexEcoleJSON{}}
	for _, cc := range c.Communes {
		out.Communes = append(out.Communes, cc.CodeINSEE)
	}
	for _, p := range c.Parties {
		out.Parties = append(out.Parties, conventionPartyJSON{OrganisationID: p.OrganisationID, Organisation: p.OrganisationNom,
			Signataire: p.SignataireNom, Fonction: p.SignataireFonction, DateSignature: isoDay(p.DateSignature)})
	}
	for _, a := range c.Avenants {
		out.Avenants = append(out.Avenants, avenantJSON{Numero: a.Numero, Objet: a.Objet, Description: a.Description,
			DateSignature: isoDay(a.DateSignature), DateEffet: isoDay(a.DateEffet), NouvelleExpiration: isoDay(a.NouvelleExpiration)})
	}
	for _, e := range c.Ecoles {
		out.Annexe = append(out.Annexe, annexEcoleJSON{UAI: e.UAI, Nom: e.Nom, CodeINSEE: e.CodeINSEE, Commune: e.CommuneNom,
			NbEleves: e.NbEleves, AvenantNumero: e.AvenantNumero})
	}
	return out
}

func (s *Server) apiConventions(c echo.Context) error {
	q, f, errs := s.conventionQuery(c)
	if errs != nil {
		return &filterError{Fields: errs}
	}
	ctx, scope := c.Request().Context(), s.scope(c)
	p, err := s.store.ListConventions(ctx, scope, f, q.request())
	if err != nil {
		return err
	}
	// The details of the page's conventions (parties, communes, avenants, annex), read for
	// the whole page at once.
	if err := s.store.WithConventionParts(ctx, p.Items); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newAPIList(p, toConventionJSON))
}
