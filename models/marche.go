package models

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/ac-creteil/pilotage/views/fr"
	"gorm.io/gorm"
)

// Calls for tender (marchés): a commune, an EPCI or a groupement de commandes of one
// département buys an ENT. A market lists its communes (the buyer commune, the EPCI's
// communes covered, or the coordinator and members of a groupement, each with its
// délibération), its lots and the bids received per lot; its status follows allowed
// transitions only, each dated and attributed (marche_statut.go); the award of a lot names
// the vendor and the ENT solution, which becomes the solution of the deployments of the
// covered écoles in the same transaction (marche_attribution.go). A market lies in its
// département and its communes (registry, policy.go): the administrator and the pilote
// write every market, an IA-DASEN those of their département; a référent reads the markets
// of their communes and records their commune's adhesion (marche_adhesion.go).

// Buyers of a market.
var MarcheAcheteurs = []Choice{
	{"commune", "Commune"},
	{"epci", "EPCI (intercommunalité, syndicat)"},
	{"groupement", "Groupement de commandes"},
}

// Procedures of a market.
var MarcheProcedures = []Choice{
	{"ao_ouvert", "Appel d'offres ouvert"},
	{"mapa", "Procédure adaptée"},
	{"negocie", "Marché négocié"},
	{"accord_cadre", "Accord-cadre"},
	{"ugap", "UGAP"},
	{"centrale", "Autre centrale d'achat"},
}

// Statuses of a market, in their order.
var MarcheStatuts = []Choice{
	{"en_preparation", "En préparation"},
	{"publie", "Publié"},
	{"en_analyse", "En analyse"},
	{"attribue", "Attribué"},
	{"infructueux", "Infructueux"},
	{"sans_suite", "Sans suite"},
}

// marcheTransitions are the allowed transitions of a market's status.
var marcheTransitions = map[string][]string{
	"en_preparation": {"publie", "sans_suite"},
	"publie":         {"en_analyse", "sans_suite"},
	"en_analyse":     {"attribue", "infructueux", "sans_suite"},
}

// Limits of a market's fields.
const (
	MaxMarcheObjet     = 300
	MaxMarcheReference = 60
	MaxMarcheNotes     = 5000
	MaxMarcheCommunes  = 300
	MaxMarcheLots      = 20
	MaxLotIntitule     = 200
	MaxLotOffres       = 50
)

// Marche is a market as stored.
type Marche struct {
	ID              int64
	Reference       string
	Objet           string
	DepartementCode string
	Acheteur        string
	EPCISiren       *string `gorm:"column:epci_siren"`
	Procedure       string  `gorm:"column:procedure_marche"`
	MontantEstime   *int64
	DatePublication *time.Time
	DateLimite      *time.Time
	Statut          string
	StatutDate      *time.Time
	Notes           string
	CahierVersionID *int64
	CreatedAt       time.Time
	UpdatedAt       time.Time
	ArchivedAt      *time.Time
	Version         int
}

// TableName is the marches table.
func (Marche) TableName() string { return "marches" }

// MarcheCommune is a commune of a market: the coordinator of a groupement or a member, with
// its délibération.
type MarcheCommune struct {
	MarcheID         int64
	CodeINSEE        string `gorm:"column:code_insee"`
	Coordinateur     bool
	DeliberationDate *time.Time
	DeliberationRef  string
}

// TableName is the marche_communes table.
func (MarcheCommune) TableName() string { return "marche_communes" }

// MarcheMembre is a commune of a market as its page shows it.
type MarcheMembre struct {
	MarcheCommune
	Nom string
}

// MarcheLot is a lot as stored, with its award once awarded.
type MarcheLot struct {
	ID              int64
	MarcheID        int64
	Numero          int
	Intitule        string
	MontantEstime   *int64
	TitulaireID     *int64
	SolutionID      *int64
	MontantAttribue *int64
	DureeMois       *int
	DateDebut       *time.Time
	Reconductions   int
	DateAttribution *time.Time
}

// TableName is the marche_lots table.
func (MarcheLot) TableName() string { return "marche_lots" }

// MarcheOffre is a bid received for a lot.
type MarcheOffre struct {
	ID                int64
	LotID             int64
	SoumissionnaireID *int64
	Soumissionnaire   string
	SolutionID        *int64
	Montant           int64
	DateReception     *time.Time
	CreatedAt         time.Time
}

// TableName is the marche_offres table.
func (MarcheOffre) TableName() string { return "marche_offres" }

// MarcheTransition is one change of a market's status: when and by whom.
type MarcheTransition struct {
	ID        int64
	MarcheID  int64
	De        string
	Vers      string
	DateEffet time.Time
	Par       string
	CreatedAt time.Time
}

// TableName is the marche_transitions table.
func (MarcheTransition) TableName() string { return "marche_transitions" }

// LotRow is a lot as the market's page shows it: its award named and its bids.
type LotRow struct {
	MarcheLot
	Titulaire string
	Solution  string
	Offres    []MarcheOffre `gorm:"-"`
	// Ecoles are the UAI of the écoles the lot covers when chosen (marche_lot_ecoles);
	// empty: every public école of the market's communes.
	Ecoles []string `gorm:"-"`
	// Appliquee reports whether the award was applied to the deployments with its effects
	// recorded (marche_lot_effets): removing it may then give the écoles their solution back.
	Appliquee bool `gorm:"-"`
}

// Attribue reports whether the lot is awarded.
func (l LotRow) Attribue() bool { return l.SolutionID != nil || l.TitulaireID != nil }

// FinPrevue is the end of the lot's contract with its renewals (start + duration × (1 +
// renewals)), nil when not awarded with a start and a duration.
func (l MarcheLot) FinPrevue() *time.Time {
	if l.DateDebut == nil || l.DureeMois == nil {
		return nil
	}
	t := l.DateDebut.AddDate(0, *l.DureeMois*(1+l.Reconductions), 0)
	return &t
}

// MarcheRow is a market as lists, pages, exports and the API show it.
type MarcheRow struct {
	Marche
	EPCINom     *string            `gorm:"column:epci_nom"`
	CahierID    *int64             // the cahier des charges of the version it is based on
	CahierLabel string             // "Titre — version 2", "" without one
	Membres     []MarcheMembre     `gorm:"-"`
	Lots        []LotRow           `gorm:"-"`
	Transitions []MarcheTransition `gorm:"-"`
}

// StatutLabel is the French label of the status.
func (m Marche) StatutLabel() string { return LabelOf(MarcheStatuts, m.Statut) }

// AcheteurLabel is the French label of the kind of buyer.
func (m Marche) AcheteurLabel() string { return LabelOf(MarcheAcheteurs, m.Acheteur) }

// ProcedureLabel is the French label of the procedure.
func (m Marche) ProcedureLabel() string { return LabelOf(MarcheProcedures, m.Procedure) }

// NextStatuts are the statuses the market may move to from its current one.
func (m Marche) NextStatuts() []Choice {
	var out []Choice
	for _, v := range marcheTransitions[m.Statut] {
		out = append(out, Choice{v, LabelOf(MarcheStatuts, v)})
	}
	return out
}

// Coordinateur is the coordinating commune of a groupement ("" otherwise).
func (m MarcheRow) Coordinateur() string {
	for _, c := range m.Membres {
		if c.Coordinateur {
			return c.Nom
		}
	}
	return ""
}

// CommuneCodes are the INSEE codes of the market's communes.
func (m MarcheRow) CommuneCodes() []string {
	out := make([]string, len(m.Membres))
	for i, c := range m.Membres {
		out[i] = c.CodeINSEE
	}
	return out
}

// CommunesLabel lists the names of its communes.
func (m MarcheRow) CommunesLabel() string {
	out := make([]string, len(m.Membres))
	for i, c := range m.Membres {
		out[i] = c.Nom
	}
	return strings.Join(out, ", ")
}

// SolutionsLabel lists the solutions awarded on its lots.
func (m MarcheRow) SolutionsLabel() string {
	var out []string
	for _, l := range m.Lots {
		if l.Solution != "" {
			out = append(out, l.Solution)
		}
	}
	return strings.Join(out, ", ")
}

// TitulairesLabel lists the vendors awarded on its lots.
func (m MarcheRow) TitulairesLabel() string {
	var out []string
	for _, l := range m.Lots {
		if l.Titulaire != "" {
			out = append(out, l.Titulaire)
		}
	}
	return strings.Join(out, ", ")
}

// MontantAttribue is the sum of the awarded amounts of its lots, in cents.
func (m MarcheRow) MontantAttribue() int64 {
	var n int64
	for _, l := range m.Lots {
		if l.MontantAttribue != nil {
			n += *l.MontantAttribue
		}
	}
	return n
}

var marcheFields = []Choice{{"reference", "Référence"}, {"objet", "Objet"}, {"departement", "Département"},
	{"acheteur", "Acheteur"}, {"epci", "EPCI"}, {"procedure", "Procédure"}, {"montant_estime", "Montant estimé"},
	{"date_publication", "Date de publication"}, {"date_limite", "Date limite des offres"}, {"communes", "Communes"},
	{"coordinateur", "Coordonnateur"}, {"statut", "Statut"}, {"notes", "Notes"}, {"lots", "Lots, offres et attributions"},
	{"adhesions", "Délibérations d'adhésion"}, {"cahier", "Cahier des charges"}}

func centsText(c *int64) string {
	if c == nil {
		return ""
	}
	return strconv.FormatInt(*c, 10) + " c"
}

func (m MarcheRow) auditValues() map[string]string {
	epci := ""
	if m.EPCISiren != nil {
		epci = *m.EPCISiren
	}
	coord := ""
	for _, c := range m.Membres {
		if c.Coordinateur {
			coord = c.CodeINSEE
		}
	}
	return map[string]string{"reference": m.Reference, "objet": m.Objet, "departement": m.DepartementCode,
		"acheteur": m.AcheteurLabel(), "epci": epci, "procedure": m.ProcedureLabel(), "montant_estime": centsText(m.MontantEstime),
		"date_publication": frDate(m.DatePublication), "date_limite": frDate(m.DateLimite),
		"communes": strings.Join(m.CommuneCodes(), ", "), "coordinateur": coord, "statut": m.StatutLabel(), "notes": m.Notes, "lots": lotsText(m.Lots),
		"adhesions": adhesionsText(m.Membres), "cahier": m.CahierLabel}
}

// adhesionsText lists the délibérations of the communes for the audit.
func adhesionsText(membres []MarcheMembre) string {
	var out []string
	for _, c := range membres {
		if c.DeliberationDate != nil || c.DeliberationRef != "" {
			out = append(out, c.CodeINSEE+" : "+frDate(c.DeliberationDate)+" "+c.DeliberationRef)
		}
	}
	return strings.Join(out, "\n")
}

// lotsText sums up the lots for the audit: number, title, bids and award.
func lotsText(lots []LotRow) string {
	out := make([]string, len(lots))
	for i, l := range lots {
		t := "lot " + strconv.Itoa(l.Numero) + " « " + l.Intitule + " », " + strconv.Itoa(len(l.Offres)) + " offre(s)"
		if len(l.Ecoles) > 0 {
			t += " ; écoles : " + strings.Join(l.Ecoles, ", ")
		}
		for _, o := range l.Offres {
			t += " ; " + o.Soumissionnaire + " " + strconv.FormatInt(o.Montant, 10) + " c"
		}
		if l.Attribue() {
			t += " ; attribué : " + l.Titulaire + " / " + l.Solution + " / " + centsText(l.MontantAttribue)
			if l.DureeMois != nil {
				t += " / " + strconv.Itoa(*l.DureeMois) + " mois"
			}
			t += " / début " + frDate(l.DateDebut) + " / " + strconv.Itoa(l.Reconductions) + " reconduction(s)"
		}
		out[i] = t
	}
	return strings.Join(out, "\n")
}

// marchesIn starts every query of markets: the live ones of the scope (alias ma).
func marchesIn(tx *gorm.DB, scope Scope) *gorm.DB {
	return scope.restrictTo(tx.Table("marches AS ma"), EntityMarche, "ma").Where("ma.archived_at IS NULL")
}

const marcheColumns = `ma.*, x.nom AS epci_nom, cv.cahier_id, COALESCE(ccv.titre || ' — version ' || cv.numero, '') AS cahier_label`

func withMarcheJoins(q *gorm.DB) *gorm.DB {
	return q.Joins("LEFT JOIN epci x ON x.siren = ma.epci_siren").Joins("LEFT JOIN cahier_versions cv ON cv.id = ma.cahier_version_id").
		Joins("LEFT JOIN cahiers_charges ccv ON ccv.id = cv.cahier_id")
}

// getMarche reads a live market of the scope with its details.
func getMarche(tx *gorm.DB, scope Scope, id int64) (MarcheRow, error) {
	var rows []MarcheRow
	if err := withMarcheJoins(marchesIn(tx, scope)).Select(marcheColumns).Where("ma.id = ?", id).Limit(1).Scan(&rows).Error; err != nil {
		return MarcheRow{}, err
	}
	if len(rows) == 0 {
		return MarcheRow{}, ErrNotFound
	}
	if err := withMarcheDetails(tx, rows); err != nil {
		return MarcheRow{}, err
	}
	if err := tx.Where("marche_id = ?", id).Order("id").Find(&rows[0].Transitions).Error; err != nil {
		return MarcheRow{}, err
	}
	return rows[0], nil
}

// GetMarche returns one live market of the scope with its communes, lots, bids and
// history of status; ErrNotFound otherwise.
func (s *Store) GetMarche(ctx context.Context, scope Scope, id int64) (MarcheRow, error) {
	return getMarche(s.db.WithContext(ctx), scope, id)
}

// MontantEstimeLabel is the estimated amount in French ("—" without one).
func (m Marche) MontantEstimeLabel() string { return fr.EurosPtr(m.MontantEstime) }

// MontantEstimeLabel is the lot's estimated amount in French.
func (l MarcheLot) MontantEstimeLabel() string { return fr.EurosPtr(l.MontantEstime) }

// MontantAttribueLabel is the lot's awarded amount in French.
func (l MarcheLot) MontantAttribueLabel() string { return fr.EurosPtr(l.MontantAttribue) }

// MontantLabel is the bid's amount in French.
func (o MarcheOffre) MontantLabel() string { return fr.Euros(o.Montant) }

// DureeLabel is the lot's duration and renewals in French ("36 mois, 1 reconduction").
func (l MarcheLot) DureeLabel() string {
	if l.DureeMois == nil {
		return fr.None
	}
	return strconv.Itoa(*l.DureeMois) + " mois, " + fr.Plural(l.Reconductions, "reconduction", "reconductions")
}
