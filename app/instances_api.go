package app

import (
	"net/http"
	"time"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// The steering bodies' exports (/instances.xlsx, /instances.csv) and JSON API
// (/api/v1/instances): the same filters as the list (instanceQuery), the same scope.

// instanceFilterError is the answer to an invalid filter of the exports and the API.
func instanceFilterError(q instanceQuery) error {
	errs := map[string]string{}
	if q.Type != "" && !models.ValidInstanceKind(q.Type) {
		errs["type"] = "Type d'instance inconnu : choisissez dans la liste."
	}
	if len(errs) == 0 {
		errs["page"] = "Pagination invalide."
	}
	return &filterError{Fields: errs}
}

func (s *Server) exportInstances(c echo.Context) error {
	q, f, ok := s.instanceQuery(c)
	if !ok {
		return instanceFilterError(q)
	}
	return s.sendExport(c, "instances", exports.InstancesTable, func(w exports.RowWriter) error {
		return s.store.EachInstance(c.Request().Context(), s.scope(c), f, func(r models.InstanceRow) error {
			return w.WriteRow(exports.InstanceValues(r)...)
		})
	})
}

// instanceMemberJSON is a member of a body in the API: a person acting in a public
// capacity, with their name, function and organisation; contact_id only when the caller
// may read the contact (absent otherwise), never an email or a phone.
type instanceMemberJSON struct {
	ContactID    int64      `json:"contact_id,omitempty"`
	Nom          string     `json:"nom"`
	Fonction     string     `json:"fonction"`
	Organisation string     `json:"organisation"`
	Role         string     `json:"role"`
	RoleLibelle  string     `json:"role_libelle"`
	Debut        *time.Time `json:"debut,omitempty"`
	Fin          *time.Time `json:"fin,omitempty"`
}

// instanceJSON is a steering body in the API.
type instanceJSON struct {
	ID               int64                `json:"id"`
	Nom              string               `json:"nom"`
	Type             string               `json:"type"`
	TypeLibelle      string               `json:"type_libelle"`
	Departement      string               `json:"departement,omitempty"`
	PerimetreLibelle string               `json:"perimetre_libelle"`
	Mandat           string               `json:"mandat"`
	Membres          []instanceMemberJSON `json:"membres"`
	ModifieeLe       time.Time            `json:"modifiee_le"`
	Version          int                  `json:"version"`
}

func toInstanceJSON(i models.InstanceRow, members []models.MemberRow) instanceJSON {
	out := instanceJSON{ID: i.ID, Nom: i.Nom, Type: i.Kind, TypeLibelle: i.KindLabel(), Departement: deref(i.DepartementCode),
		PerimetreLibelle: i.ScopeLabel(), Mandat: i.Mandat, Membres: []instanceMemberJSON{}, ModifieeLe: i.UpdatedAt.UTC(), Version: i.Version}
	for _, m := range members {
		out.Membres = append(out.Membres, instanceMemberJSON{ContactID: m.ContactID, Nom: m.FullName(), Fonction: m.Fonction,
			Organisation: m.Organisation, Role: m.Role, RoleLibelle: m.RoleLabel(), Debut: m.Debut, Fin: m.Fin})
	}
	return out
}

func (s *Server) apiInstances(c echo.Context) error {
	q, f, ok := s.instanceQuery(c)
	if !ok {
		return instanceFilterError(q)
	}
	ctx, scope := c.Request().Context(), s.scope(c)
	p, err := s.store.ListInstances(ctx, scope, f, q.request())
	if err != nil {
		return err
	}
	ids := make([]int64, len(p.Items))
	for n, i := range p.Items {
		ids[n] = i.ID
	}
	members, err := s.store.InstanceMembers(ctx, scope, ids)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newAPIList(p, func(i models.InstanceRow) instanceJSON { return toInstanceJSON(i, members[i.ID]) }))
}
