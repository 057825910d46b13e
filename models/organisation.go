package models

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Kinds of organisations.
const (
	OrgRectorat   = "rectorat"
	OrgDSDEN      = "dsden"
	OrgAMIF       = "amif"
	OrgAMF        = "amf"
	OrgAMRF       = "amrf"
	OrgARTESI     = "artesi"
	OrgCommune    = "commune"
	OrgEPCI       = "epci"
	OrgEditeurENT = "editeur_ent"
	OrgUniversite = "universite"
	OrgAutre      = "autre"
)

// OrganisationKinds lists the kinds of organisations with their French labels, in the order
// of the forms and of the "type" sort.
var OrganisationKinds = []Choice{
	{OrgRectorat, "Rectorat"},
	{OrgDSDEN, "DSDEN"},
	{OrgAMIF, "AMIF"},
	{OrgAMF, "AMF"},
	{OrgAMRF, "AMRF"},
	{OrgARTESI, "ARTESI"},
	{OrgCommune, "Commune"},
	{OrgEPCI, "EPCI / intercommunalité"},
	{OrgEditeurENT, "Éditeur d'ENT"},
	{OrgUniversite, "Université"},
	{OrgAutre, "Autre"},
}

// Limits of the organisation's text fields, in characters.
const (
	MaxOrganisationNom     = 200
	MaxOrganisationAdresse = 500
	MaxOrganisationSiteWeb = 300
)

// Organisation is a party of the programme: the Rectorat, a DSDEN, the mayors' associations,
// a commune or an EPCI of the reference data, an ENT vendor, a university... Its territory
// (a département for a DSDEN, a commune, an EPCI) decides who sees it (Scope) and who may
// change it (canWriteOrganisation); an organisation without territory is shared.
type Organisation struct {
	ID              int64
	Nom             string
	NomRecherche    string
	Kind            string
	DepartementCode *string
	CodeINSEE       *string `gorm:"column:code_insee"`
	EPCISiren       *string `gorm:"column:epci_siren"`
	Adresse         string
	SiteWeb         string
	CreatedAt       time.Time
	UpdatedAt       time.Time
	ArchivedAt      *time.Time
	Version         int
}

// TableName is the organisations table.
func (Organisation) TableName() string { return "organisations" }

// OrganisationRow is an organisation as pages, lists and exports show it, with the names of
// its territory.
type OrganisationRow struct {
	Organisation
	CommuneNom     string
	EPCINom        string `gorm:"column:epci_nom"`
	DepartementNom string
}

// KindLabel is the French label of the organisation's kind.
func (o Organisation) KindLabel() string { return LabelOf(OrganisationKinds, o.Kind) }

// Shared reports whether the organisation has no territory: every signed-in user sees it.
func (o Organisation) Shared() bool {
	return o.DepartementCode == nil && o.CodeINSEE == nil && o.EPCISiren == nil
}

// CommuneLabel is "Bobigny (93008)", "" for an organisation that is not a commune.
func (o OrganisationRow) CommuneLabel() string {
	if o.CodeINSEE == nil {
		return ""
	}
	return o.CommuneNom + " (" + *o.CodeINSEE + ")"
}

// EPCILabel is "Est Ensemble (200057875)", "" for an organisation that is not an EPCI.
func (o OrganisationRow) EPCILabel() string {
	if o.EPCISiren == nil {
		return ""
	}
	return o.EPCINom + " (" + *o.EPCISiren + ")"
}

// DepartementLabel is "93 — Seine-Saint-Denis", "" without département.
func (o OrganisationRow) DepartementLabel() string {
	if o.DepartementCode == nil {
		return ""
	}
	return *o.DepartementCode + " — " + o.DepartementNom
}

// OrganisationInput is what a form gives to create or change an organisation. Only the
// territory field of its kind is kept: Departement for a DSDEN, Commune (INSEE code) for a
// commune, EPCI (SIREN) for an EPCI.
type OrganisationInput struct {
	Nom         string
	Kind        string
	Departement string
	Commune     string
	EPCI        string
	Adresse     string
	SiteWeb     string
}

// organisationFields are the audited fields, with French labels; the names are those of the
// forms, and of the messages of a ValidationError.
var organisationFields = []Choice{
	{"nom", "Nom"}, {"type", "Type"}, {"departement", "Département"}, {"commune", "Commune"},
	{"epci", "EPCI"}, {"adresse", "Adresse"}, {"site_web", "Site web"},
}

func (o OrganisationRow) auditValues() map[string]string {
	return map[string]string{"nom": o.Nom, "type": o.KindLabel(), "departement": deref(o.DepartementCode),
		"commune": o.CommuneLabel(), "epci": o.EPCILabel(), "adresse": o.Adresse, "site_web": o.SiteWeb}
}

func (in OrganisationInput) normalize() OrganisationInput {
	out := OrganisationInput{Nom: strings.TrimSpace(in.Nom), Kind: strings.TrimSpace(in.Kind),
		Adresse: strings.TrimSpace(strings.ReplaceAll(in.Adresse, "\r\n", "\n")), SiteWeb: strings.TrimSpace(in.SiteWeb)}
	switch out.Kind {
	case OrgDSDEN:
		out.Departement = strings.TrimSpace(in.Departement)
	case OrgCommune:
		out.Commune = strings.ToUpper(strings.TrimSpace(in.Commune))
	case OrgEPCI:
		out.EPCI = strings.TrimSpace(in.EPCI)
	}
	return out
}

// ValidOrganisationKind reports whether kind is one of OrganisationKinds.
func ValidOrganisationKind(kind string) bool {
	return slices.Contains(ChoiceValues(OrganisationKinds), kind)
}

// checkOrganisation validates the input against the rules and the reference data, and
// returns the organisation it describes: a commune takes its département from the reference
// data, and a commune or an EPCI its name when none is given.
func checkOrganisation(tx *gorm.DB, in OrganisationInput) (Organisation, error) {
	var errs ValidationError
	o := Organisation{Kind: in.Kind, Adresse: in.Adresse, SiteWeb: in.SiteWeb}
	defaultNom := ""
	switch in.Kind {
	case OrgDSDEN:
		var d Departement
		found, err := lookup(tx.Select("code").Where("code = ?", in.Departement), &d, ValidDepartementCode(in.Departement))
		if err != nil {
			return o, err
		}
		if !found {
			errs.Add(0, "departement", "Choisissez le département de la DSDEN.")
		}
		o.DepartementCode = &d.Code
	case OrgCommune:
		var c Commune
		found, err := lookup(tx.Select("code_insee, nom, departement_code").Where("code_insee = ?", in.Commune), &c, ValidINSEE(in.Commune))
		switch {
		case err != nil:
			return o, err
		case in.Commune == "":
			errs.Add(0, "commune", "Indiquez le code INSEE de la commune (exemple : 93008).")
		case !ValidINSEE(in.Commune):
			errs.Add(0, "commune", "Code INSEE invalide : 5 caractères (exemple : 93008).")
		case !found:
			errs.Add(0, "commune", "Commune inconnue du référentiel : "+in.Commune+".")
		}
		o.CodeINSEE, o.DepartementCode, defaultNom = &c.CodeINSEE, &c.DepartementCode, c.Nom
	case OrgEPCI:
		var e EPCI
		found, err := lookup(tx.Select("siren, nom").Where("siren = ?", in.EPCI), &e, ValidSIREN(in.EPCI))
		if err != nil {
			return o, err
		}
		if !found {
			errs.Add(0, "epci", "Choisissez un EPCI du référentiel.")
		}
		o.EPCISiren, defaultNom = &e.Siren, e.Nom
	case "":
		errs.Add(0, "type", "Choisissez le type d'organisme.")
	default:
		if !ValidOrganisationKind(in.Kind) {
			errs.Add(0, "type", "Type d'organisme inconnu : choisissez dans la liste.")
		}
	}
	o.Nom = in.Nom
	if o.Nom == "" {
		o.Nom = defaultNom
	}
	if msg := textProblem("Le nom", o.Nom, MaxOrganisationNom, true, false); msg != "" {
		errs.Add(0, "nom", msg)
	}
	if msg := textProblem("L'adresse", o.Adresse, MaxOrganisationAdresse, false, true); msg != "" {
		errs.Add(0, "adresse", msg)
	}
	if msg := websiteProblem(o.SiteWeb); msg != "" {
		errs.Add(0, "site_web", msg)
	}
	o.NomRecherche = SearchKey(o.Nom)
	return o, errs.OrNil()
}

// lookup reads one row of reference data into dest when wellFormed; found is false when
// there is none, err is any other failure (never taken for a wrong value).
func lookup(q *gorm.DB, dest any, wellFormed bool) (found bool, err error) {
	if !wellFormed {
		return false, nil
	}
	err = q.Take(dest).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return false, nil
	}
	return err == nil, err
}

// textProblem returns the French message of a text that is missing, too long, or holds bytes
// that are not text (invalid UTF-8, NUL, control characters but line breaks and tabs where
// multiline); "" when it is fine. subject is "Le nom", "L'adresse"...
func textProblem(subject, v string, max int, required, multiline bool) string {
	invalid := func(r rune) bool {
		return r == utf8.RuneError || (unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\t')))
	}
	switch {
	case v == "" && required:
		return subject + " est obligatoire."
	case !utf8.ValidString(v) || strings.ContainsFunc(v, invalid):
		return subject + " contient des caractères invalides."
	case utf8.RuneCountInString(v) > max:
		return fmt.Sprintf("%s ne doit pas dépasser %d caractères.", subject, max)
	}
	return ""
}

// websiteProblem accepts an empty value or an http(s) address with a host: never a
// javascript: or data: URL, which the pages would turn into links.
func websiteProblem(v string) string {
	if v == "" {
		return ""
	}
	if msg := textProblem("L'adresse du site web", v, MaxOrganisationSiteWeb, false, false); msg != "" {
		return msg
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		strings.ContainsAny(v, " \"<>\\`") {
		return "Adresse de site web invalide : elle commence par https:// ou http:// (exemple : https://www.ac-creteil.fr)."
	}
	return ""
}

// organisationWriters says which kinds of organisations each role may write (DESIGN.md §2);
// canWriteOrganisation narrows it to the role's territory. Roles absent here (ien, lecteur)
// write no organisation.
var organisationWriters = map[Role][]string{
	RoleAdmin:    ChoiceValues(OrganisationKinds),
	RolePilote:   ChoiceValues(OrganisationKinds),
	RoleIA:       {OrgDSDEN, OrgCommune, OrgEPCI},
	RoleAMIF:     {OrgCommune, OrgEPCI, OrgAMIF, OrgAMF, OrgAMRF},
	RoleReferent: {OrgCommune, OrgEPCI},
}

// canWriteOrganisation is the one write rule of organisations, checked inside every write,
// on the organisation as it is and as it would become:
//   - admin and pilote académique write every organisation; AMIF writes the communes, the
//     EPCI and its own kinds (AMIF, AMF, AMRF) of the whole académie;
//   - an IA-DASEN writes the DSDEN and the communes of their département, and the EPCI with a
//     member commune there, never a shared organisation;
//   - a référent writes the organisations of their communes, and their EPCI's when their
//     account is attached to one;
//   - IEN and lecteur write nothing.
//
// Every organisation an actor may write lies in their scope (the registry, models/policy.go).
func canWriteOrganisation(tx *gorm.DB, actor Actor, o Organisation) (bool, error) {
	return writesPlace(tx, actor, EntityOrganisation, map[string]*string{"departement_code": o.DepartementCode,
		"code_insee": o.CodeINSEE, "epci_siren": o.EPCISiren, "kind": &o.Kind}, refineOrganisationWrites(actor))
}

// organisationsWritable keeps the organisations (alias o) whose records the actor writes:
// the organisations themselves and their contacts.
func organisationsWritable(q *gorm.DB, actor Actor, o string) *gorm.DB {
	return refineOrganisationWrites(actor)(writableIn(q, actor, EntityOrganisation, o), o)
}

// refineOrganisationWrites narrows the policy of organisations (models/policy.go) for the
// actor: the kinds of organisations of their role (organisationWriters), and for a référent
// the EPCI of their account only.
func refineOrganisationWrites(actor Actor) func(q *gorm.DB, o string) *gorm.DB {
	return func(q *gorm.DB, o string) *gorm.DB {
		q = q.Where(o+".kind IN ?", append([]string{""}, organisationWriters[actor.Role]...))
		if actor.Role == RoleReferent {
			q = q.Where("("+o+".kind <> ? OR "+o+".epci_siren IN (SELECT ru.epci_siren FROM users ru WHERE ru.id = ? AND ru.epci_siren IS NOT NULL))",
				OrgEPCI, actor.UserID)
		}
		return q
	}
}

// OrganisationRights says in French which organisations the actor may write, next to the
// rule (organisationWriters, canWriteOrganisation) that it explains.
func OrganisationRights(actor Actor) string {
	switch actor.Role {
	case RoleAdmin, RolePilote:
		return "Vous pouvez créer et modifier tous les organismes."
	case RoleIA:
		return "Vous pouvez créer et modifier la DSDEN et les communes de votre département (" +
			strings.Join(actor.Scope.Departements, ", ") + "), et les EPCI qui y ont une commune membre."
	case RoleAMIF:
		return "Vous pouvez créer et modifier les communes, les EPCI, et les organismes AMIF, AMF et AMRF."
	case RoleReferent:
		return "Vous pouvez créer et modifier l'organisme de vos communes, et celui de votre EPCI si votre compte y est rattaché."
	}
	return ""
}

// OrganisationKindsFor lists the kinds of organisations the actor may create, with their
// labels, for the form's select; it is empty for the roles that write no organisation.
func OrganisationKindsFor(actor Actor) []Choice {
	var out []Choice
	for _, k := range OrganisationKinds {
		if slices.Contains(organisationWriters[actor.Role], k.Value) {
			out = append(out, k)
		}
	}
	return out
}

// CanWriteOrganisation reports whether the actor may change the organisation (its page
// shows "Modifier" only then; the write functions check again).
func (s *Store) CanWriteOrganisation(ctx context.Context, actor Actor, o Organisation) (bool, error) {
	return canWriteOrganisation(s.db.WithContext(ctx), actor, o)
}

// CanArchiveOrganisations reports whether the actor may archive and restore organisations,
// and see the archived ones: the administrator and the pilotes académiques.
func CanArchiveOrganisations(actor Actor) bool {
	return actor.Role == RoleAdmin || actor.Role == RolePilote
}

// organisationKeyFree refuses a second live organisation for one commune or one EPCI (the
// partial unique indexes say the same, for requests that race). It reads other
// organisations, so it runs only once the actor may write this one.
func organisationKeyFree(tx *gorm.DB, o Organisation, selfID int64, msg string) error {
	col, key := "code_insee", o.CodeINSEE
	switch o.Kind {
	case OrgCommune:
	case OrgEPCI:
		col, key = "epci_siren", o.EPCISiren
	default:
		return nil
	}
	var n int64
	if err := tx.Model(&Organisation{}).Where("kind = ? AND "+col+" = ? AND archived_at IS NULL AND id <> ?", o.Kind, deref(key), selfID).
		Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return organisationKeyTaken(o.Kind, msg)
	}
	return nil
}

// organisationKeyTaken is the refusal of a commune or an EPCI that already has a live
// organisation, on the form's field.
func organisationKeyTaken(kind, msg string) error {
	field, what := "commune", "cette commune"
	if kind == OrgEPCI {
		field, what = "epci", "cet EPCI"
	}
	return &ValidationError{Errors: []FieldError{{Field: field, Msg: fmt.Sprintf(msg, what)}}}
}

// Messages of organisationKeyTaken, with the place of "cette commune" or "cet EPCI".
const (
	msgOrganisationKeyTaken     = "Un organisme existe déjà pour %s : modifiez-le plutôt que d'en créer un second."
	msgOrganisationRestoreTaken = "Un organisme actif existe déjà pour %s : archivez-le avant de restaurer celui-ci."
)

// organisationDuplicate turns the unique index's refusal (two requests racing for one
// commune) into the form's message.
func organisationDuplicate(err error, kind, msg string) error {
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return organisationKeyTaken(kind, msg)
	}
	return err
}

// mayWriteOrganisation returns ErrForbidden unless the actor may write o.
func mayWriteOrganisation(tx *gorm.DB, actor Actor, o Organisation) error {
	ok, err := canWriteOrganisation(tx, actor, o)
	if err != nil {
		return err
	}
	if !ok {
		return ErrForbidden
	}
	return nil
}

// CreateOrganisation creates an organisation. The input is checked first (against the
// reference data, which every role reads), then the write rule on the organisation it
// describes (ErrForbidden), then the uniqueness of its commune or EPCI.
func (s *Store) CreateOrganisation(ctx context.Context, actor Actor, in OrganisationInput) (OrganisationRow, error) {
	var row OrganisationRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var err error
		row, err = s.createOrganisation(tx, actor, in)
		return err
	})
	return row, err
}

// createOrganisation is CreateOrganisation in the transaction tx.
func (s *Store) createOrganisation(tx *gorm.DB, actor Actor, in OrganisationInput) (OrganisationRow, error) {
	in = in.normalize()
	o, err := checkOrganisation(tx, in)
	if err != nil {
		return OrganisationRow{}, err
	}
	if err := mayWriteOrganisation(tx, actor, o); err != nil {
		return OrganisationRow{}, err
	}
	if err := organisationKeyFree(tx, o, 0, msgOrganisationKeyTaken); err != nil {
		return OrganisationRow{}, err
	}
	now := s.now().UTC()
	o.CreatedAt, o.UpdatedAt, o.Version = now, now, 1
	if err := tx.Create(&o).Error; err != nil {
		return OrganisationRow{}, organisationDuplicate(err, o.Kind, msgOrganisationKeyTaken)
	}
	row, err := getOrganisation(tx, actor.Scope, o.ID, false)
	if err != nil {
		return row, err
	}
	return row, s.audit(tx, actor, "creation", "organisation", strconv.FormatInt(o.ID, 10), diff(organisationFields, nil, row.auditValues()))
}

// UpdateOrganisation changes an organisation if it is still at version. An organisation
// outside the actor's scope, or archived, is ErrNotFound whatever its id; one the actor may
// see but not write, or would move out of their rights, is ErrForbidden; a stale version is
// a *ConflictError and nothing changes. Saving unchanged values writes nothing.
func (s *Store) UpdateOrganisation(ctx context.Context, actor Actor, id int64, version int, in OrganisationInput) (OrganisationRow, error) {
	in = in.normalize()
	edit := recordEdit[OrganisationRow]{entity: "organisation", model: &Organisation{}, fields: organisationFields, get: getOrganisation,
		version: func(o OrganisationRow) int { return o.Version },
		may:     func(tx *gorm.DB, o OrganisationRow) error { return mayWriteOrganisation(tx, actor, o.Organisation) }}
	var kind string
	row, err := edit.apply(ctx, s, actor, id, version, func(tx *gorm.DB, before OrganisationRow) (map[string]any, error) {
		o, err := checkOrganisation(tx, in)
		if err != nil {
			return nil, err
		}
		if err := mayWriteOrganisation(tx, actor, o); err != nil {
			return nil, err
		}
		if err := organisationKeyFree(tx, o, id, msgOrganisationKeyTaken); err != nil {
			return nil, err
		}
		if o.sameValues(before.Organisation) {
			return nil, nil
		}
		kind = o.Kind
		return map[string]any{"nom": o.Nom, "nom_recherche": o.NomRecherche, "kind": o.Kind, "departement_code": o.DepartementCode,
			"code_insee": o.CodeINSEE, "epci_siren": o.EPCISiren, "adresse": o.Adresse, "site_web": o.SiteWeb}, nil
	}, nil)
	// A commune or an EPCI taken by another organisation between the check and the update.
	return row, organisationDuplicate(err, kind, msgOrganisationKeyTaken)
}

// sameValues reports whether o holds the same values as before (an edit saved unchanged).
func (o Organisation) sameValues(before Organisation) bool {
	return o.Nom == before.Nom && o.Kind == before.Kind && deref(o.DepartementCode) == deref(before.DepartementCode) &&
		deref(o.CodeINSEE) == deref(before.CodeINSEE) && deref(o.EPCISiren) == deref(before.EPCISiren) &&
		o.Adresse == before.Adresse && o.SiteWeb == before.SiteWeb
}

// ArchiveOrganisation archives an organisation (administrator and pilotes académiques): it
// vanishes from every list, count, export and page, and its commune or EPCI may get a new
// organisation. RestoreOrganisation brings it back.
func (s *Store) ArchiveOrganisation(ctx context.Context, actor Actor, id int64) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		before, err := getOrganisation(tx, actor.Scope, id, false)
		if err != nil {
			return err
		}
		if !CanArchiveOrganisations(actor) {
			return ErrForbidden
		}
		if err := mayWriteOrganisation(tx, actor, before.Organisation); err != nil {
			return err
		}
		return s.setArchived(tx, actor, &Organisation{}, "organisation", id, true)
	})
}

// RestoreOrganisation brings an archived organisation back as it was. Archives exist only for
// the roles that may restore them: for any other, the organisation is ErrNotFound. It is
// refused, with a message on the field "commune" or "epci", when a live organisation now
// holds its commune or EPCI.
func (s *Store) RestoreOrganisation(ctx context.Context, actor Actor, id int64) (OrganisationRow, error) {
	if !CanArchiveOrganisations(actor) {
		return OrganisationRow{}, ErrNotFound
	}
	var row OrganisationRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		before, err := getOrganisation(tx, actor.Scope, id, true)
		if err != nil {
			return err
		}
		if err := mayWriteOrganisation(tx, actor, before.Organisation); err != nil {
			return err
		}
		if err := organisationKeyFree(tx, before.Organisation, id, msgOrganisationRestoreTaken); err != nil {
			return err
		}
		if err := s.markArchived(tx, &Organisation{}, id, false); err != nil {
			return organisationDuplicate(err, before.Kind, msgOrganisationRestoreTaken)
		}
		if row, err = getOrganisation(tx, actor.Scope, id, false); err != nil {
			return err
		}
		return s.auditArchived(tx, actor, "organisation", id, false)
	})
	return row, err
}

// OrganisationFilter selects organisations. Empty fields select everything.
type OrganisationFilter struct {
	Q           string // name (accents and case ignored), or start of the INSEE code or SIREN
	Kind        string // one of OrganisationKinds
	Departement string // DSDEN and communes of the département, EPCI with a member commune there
	Sort        string // one of OrganisationSorts.Keys()
}

// OrganisationSorts are the sort keys of the organisations list.
var OrganisationSorts = sortOrders{
	keys: map[string][]string{
		"nom":          {"o.nom_recherche"},
		"type":         {kindOrder(), "o.nom_recherche"},
		"departement":  {"COALESCE(o.departement_code, '')", "o.nom_recherche"},
		"modification": {"o.updated_at"},
	},
	fallback: "nom",
	tiebreak: "o.id ASC",
}

// kindOrder sorts kinds in the order of OrganisationKinds rather than by code.
func kindOrder() string {
	var b strings.Builder
	b.WriteString("CASE o.kind")
	for i, k := range OrganisationKinds {
		fmt.Fprintf(&b, " WHEN '%s' THEN %d", k.Value, i)
	}
	b.WriteString(" END")
	return b.String()
}

const organisationColumns = `o.id, o.nom, o.nom_recherche, o.kind, o.departement_code, o.code_insee, o.epci_siren,
	o.adresse, o.site_web, o.created_at, o.updated_at, o.archived_at, o.version,
	COALESCE(c.nom, '') AS commune_nom, COALESCE(x.nom, '') AS epci_nom, COALESCE(d.nom, '') AS departement_nom`

// organisationsIn starts every query of organisations: the scope's rows, live or archived.
func organisationsIn(tx *gorm.DB, scope Scope, archived bool) *gorm.DB {
	q := scope.restrictTo(tx.Table("organisations AS o"), EntityOrganisation, "o")
	if archived {
		return q.Where("o.archived_at IS NOT NULL")
	}
	return q.Where("o.archived_at IS NULL")
}

func withTerritoryNames(q *gorm.DB) *gorm.DB {
	return q.Select(organisationColumns).
		Joins("LEFT JOIN communes c ON c.code_insee = o.code_insee").
		Joins("LEFT JOIN epci x ON x.siren = o.epci_siren").
		Joins("LEFT JOIN departements d ON d.code = o.departement_code")
}

func filterOrganisations(q *gorm.DB, f OrganisationFilter) *gorm.DB {
	f.Q, f.Kind, f.Departement = dbText(f.Q), dbText(f.Kind), dbText(f.Departement)
	if f.Kind != "" {
		q = q.Where("o.kind = ?", f.Kind)
	}
	if f.Departement != "" {
		q = q.Where(`(o.departement_code = ? OR (o.epci_siren IS NOT NULL AND EXISTS (SELECT 1 FROM communes fc
			WHERE (fc.epci_siren = o.epci_siren OR fc.ept_siren = o.epci_siren) AND fc.departement_code = ?)))`, f.Departement, f.Departement)
	}
	if text := strings.TrimSpace(f.Q); text != "" {
		// A search without letters or digits has an empty key: it matches no name, rather than all.
		key, code := SearchKey(text), likePrefix(strings.ToUpper(text))
		q = q.Where(`((? <> '' AND o.nom_recherche LIKE ? ESCAPE '\') OR o.code_insee LIKE ? ESCAPE '\' OR o.epci_siren LIKE ? ESCAPE '\')`,
			key, likeContains(key), code, code)
	}
	return q
}

// ListOrganisations returns one page of the live organisations of the scope matching f, and
// their total.
func (s *Store) ListOrganisations(ctx context.Context, scope Scope, f OrganisationFilter, p PageRequest) (Page[OrganisationRow], error) {
	p = p.normalized()
	page := Page[OrganisationRow]{Number: p.Number, Size: p.Size}
	db := s.db.WithContext(ctx)
	if err := filterOrganisations(organisationsIn(db, scope, false), f).Count(&page.Total).Error; err != nil {
		return page, err
	}
	err := withTerritoryNames(filterOrganisations(organisationsIn(db, scope, false), f)).
		Order(OrganisationSorts.orderBy(f.Sort)).Limit(p.Size).Offset(p.offset()).Scan(&page.Items).Error
	return page, err
}

// EachOrganisation calls fn for every live organisation of the scope matching f, in list
// order, reading from a cursor: an export of any size stays in constant memory.
func (s *Store) EachOrganisation(ctx context.Context, scope Scope, f OrganisationFilter, fn func(OrganisationRow) error) error {
	db := s.db.WithContext(ctx)
	rows, err := withTerritoryNames(filterOrganisations(organisationsIn(db, scope, false), f)).
		Order(OrganisationSorts.orderBy(f.Sort)).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r OrganisationRow
		if err := db.ScanRows(rows, &r); err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// getOrganisation reads one organisation of the scope, live or archived; ErrNotFound
// otherwise, whether the id exists or not.
func getOrganisation(tx *gorm.DB, scope Scope, id int64, archived bool) (OrganisationRow, error) {
	var rows []OrganisationRow
	if err := withTerritoryNames(organisationsIn(tx, scope, archived)).Where("o.id = ?", id).Limit(1).Scan(&rows).Error; err != nil {
		return OrganisationRow{}, err
	}
	if len(rows) == 0 {
		return OrganisationRow{}, ErrNotFound
	}
	return rows[0], nil
}

// GetOrganisation returns one live organisation of the scope; ErrNotFound when it is
// archived or outside the scope.
func (s *Store) GetOrganisation(ctx context.Context, scope Scope, id int64) (OrganisationRow, error) {
	return getOrganisation(s.db.WithContext(ctx), scope, id, false)
}

// ListArchivedOrganisations returns one page of the archived organisations, last archived
// first. Only the roles that may restore them see them: for the others the list is empty.
func (s *Store) ListArchivedOrganisations(ctx context.Context, actor Actor, p PageRequest) (Page[OrganisationRow], error) {
	p = p.normalized()
	page := Page[OrganisationRow]{Number: p.Number, Size: p.Size}
	if !CanArchiveOrganisations(actor) {
		return page, nil
	}
	db := s.db.WithContext(ctx)
	if err := organisationsIn(db, actor.Scope, true).Count(&page.Total).Error; err != nil {
		return page, err
	}
	err := withTerritoryNames(organisationsIn(db, actor.Scope, true)).Order("o.archived_at DESC, o.id DESC").
		Limit(p.Size).Offset(p.offset()).Scan(&page.Items).Error
	return page, err
}
