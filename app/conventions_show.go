package app

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// One convention's page: identity, hierarchy, state after avenants, parties and signatures,
// communes and annex, workflow (the allowed next statuses as forms; a refused move is shown
// again next to its form with status 422), timeline, avenants, history. The forms of the
// page post to the routes of conventions_actions.go, which render this page again with
// the errors of the form that failed.

// transitionForm is the form of one allowed next status. Confirm marks the moves that end
// the convention (résilier, déclarer échue): the page links to a confirmation step
// (conventions_confirm.go) instead of an open form.
type transitionForm struct {
	Vers, Label         string
	DateLabel, DateHint string
	Date, Motif         string
	NeedsMotif          bool
	DateError, MotifErr string
	Primary             bool
	Confirm, Danger     bool
}

// partyRow is a party with its line of the signatures form.
type partyRow struct {
	models.ConventionParty
	Signataire, Fonction, Date formField
	Removable                  bool
}

// conventionView is the convention's page.
type conventionView struct {
	C                  models.ConventionRow
	CanWrite           bool
	Done, Error        string
	Next               []transitionForm
	StatutError        string
	Signed             int // parties that signed
	Parties            []partyRow
	SignaturesErrors   bool
	SignaturesConflict string
	PartyOrg           selectField
	PartyCommune       placeField
	PartySignataire    formField
	PartyFonction      formField
	PartyDate          formField
	PartiesError       string
	CanEditParties     bool
	CanEditAnnex       bool
	CanAddAvenant      bool
	AvenantObjet       selectField
	AvenantDesc        formField
	AvenantSignature   formField
	AvenantEffet       formField
	AvenantFin         formField
	AvenantEcoles      []checkField
	AvenantEcolesErr   string
	AvenantErrors      bool
	Documents          *documentsView
	Financements       []models.ConventionPlan
	CanFinance         bool
	History            []models.AuditEvent
	Open               map[string]bool // the folded sections shown open
}

// conventionState is what a failed form of the page gives back: which form, its errors
// and the typed values.
type conventionState struct {
	form       string // "statut", "partie", "partie-<id>", "signatures", "avenant", "general"
	errs       map[string]string
	in         models.TransitionInput
	party      models.PartyInput
	commune    string
	signatures map[int64]models.SignatureInput
	conflict   string
	avenant    models.AvenantInput
}

var conventionDone = map[string]string{
	"creation":     "La convention a été créée au statut « Brouillon ».",
	"modification": "Les modifications ont été enregistrées.",
	"statut":       "Le statut de la convention a été changé.",
	"partie":       "Les parties ont été mises à jour.",
	"signatures":   "Les signatures ont été enregistrées.",
	"annexe":       "L'annexe des écoles a été enregistrée.",
	"avenant":      "L'avenant a été enregistré.",
	"restauration": "La convention a été restaurée : elle apparaît de nouveau dans le registre.",
}

// openSections says which folded section of the page the last action (?fait=, the form
// that failed, a document) concerns: it is shown open.
var openSections = map[string]string{
	"partie": "parties", "signatures": "parties", "annexe": "communes", "avenant": "avenants",
}

// transitionDates names the day each status asks for, with its hint.
var transitionDates = map[string][2]string{
	models.StatutDeliberation: {"Date de la délibération", "JJ/MM/AAAA"},
	models.StatutSignee:       {"Date de signature", "JJ/MM/AAAA ; vide : la dernière signature des parties"},
	models.StatutEnVigueur:    {"Date d'entrée en vigueur", "JJ/MM/AAAA"},
	models.StatutEchue:        {"Date d'échéance", "JJ/MM/AAAA ; vide : la date d'expiration après avenants"},
	models.StatutResiliee:     {"Date de résiliation", "JJ/MM/AAAA"},
}

// endingStatuts are the moves that end a convention, behind a confirmation step.
var endingStatuts = []string{models.StatutEchue, models.StatutResiliee}

func (s *Server) showConvention(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	return s.conventionPage(c, http.StatusOK, id, conventionState{})
}

// conventionPage renders the convention's page, with the errors of st's form.
func (s *Server) conventionPage(c echo.Context, status int, id int64, st conventionState) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	cv, err := s.store.GetConvention(ctx, actor.Scope, id)
	if err != nil {
		return err
	}
	key := strconv.FormatInt(id, 10)
	errs := st.errs
	if errs == nil {
		errs = map[string]string{}
	}
	done := c.QueryParam("fait")
	v := conventionView{C: cv, CanWrite: models.CanWriteConvention(actor, cv.Convention), Done: conventionDone[done],
		Open: map[string]bool{}}
	signed := slices.Contains([]string{models.StatutSignee, models.StatutEnVigueur, models.StatutEchue, models.StatutResiliee}, cv.Statut)
	v.CanEditParties = v.CanWrite && !signed
	v.CanEditAnnex = v.CanWrite && !signed
	v.CanAddAvenant = v.CanWrite && (cv.Statut == models.StatutSignee || cv.Statut == models.StatutEnVigueur)
	form, _, _ := strings.Cut(st.form, "-")
	v.Open[openSections[done]], v.Open[openSections[form]] = true, true
	if st.form == "general" {
		for _, msg := range errs {
			v.Error = msg
		}
	}
	if st.form == "statut" {
		v.StatutError = errs["vers"]
	}
	v.Next = transitionForms(cv, st, errs)
	s.conventionParties(&v, cv, st, errs)
	if v.CanEditParties {
		if err := s.partyForm(c, &v, cv, st, errs); err != nil {
			return err
		}
	}
	if v.CanAddAvenant {
		if err := s.avenantForm(c, &v, id, st, errs); err != nil {
			return err
		}
	}
	if err := s.conventionDocuments(c, &v, cv); err != nil {
		return err
	}
	if v.Financements, err = s.store.PlansCoveringConvention(ctx, actor.Scope, cv); err != nil {
		return err
	}
	v.CanFinance = cv.Kind != models.ConventionCadre && models.CanWriteFinancement(actor, models.Financement{DepartementCode: cv.Departement()})
	if v.History, err = s.history(c, "convention", key); err != nil {
		return err
	}
	return s.render(c, status, "conventions/show", "Convention "+cv.Reference, []crumb{home, conventionsCrumb, {Label: cv.Reference}}, v)
}

// transitionForms are the forms of the allowed next statuses, the one that failed with its
// typed values and errors.
func transitionForms(cv models.ConventionRow, st conventionState, errs map[string]string) []transitionForm {
	var out []transitionForm
	for i, n := range cv.NextStatuts() {
		tf := transitionForm{Vers: n.Value, Label: n.Label, NeedsMotif: n.Value == models.StatutResiliee, Primary: i == 0 && n.Value != models.StatutResiliee,
			Confirm: slices.Contains(endingStatuts, n.Value), Danger: n.Value == models.StatutResiliee}
		if d, ok := transitionDates[n.Value]; ok {
			tf.DateLabel, tf.DateHint = d[0], d[1]
		}
		if st.form == "statut" && st.in.Vers == n.Value {
			tf.Date, tf.Motif, tf.DateError, tf.MotifErr = st.in.Date, st.in.Motif, errs["date"], errs["motif"]
		}
		out = append(out, tf)
	}
	return out
}

// avenantForm fills the form of a new avenant (with the typed values and errors of a
// refused one), offering the écoles not yet in the annex.
func (s *Server) avenantForm(c echo.Context, v *conventionView, id int64, st conventionState, errs map[string]string) error {
	var ae map[string]string
	in := models.AvenantInput{}
	if st.form == "avenant" {
		ae, in, v.AvenantErrors = errs, st.avenant, true
	}
	v.AvenantObjet = selectField{ID: "avenant-objet", Name: "objet", Label: "Objet", All: "Choisir l'objet", Value: in.Objet,
		Choices: models.AvenantObjets, Error: ae["objet"]}
	v.AvenantDesc = formField{ID: "avenant-description", Name: "description", Label: "Description", Hint: "Facultatif", Value: in.Description, Error: ae["description"]}
	v.AvenantSignature = formField{ID: "avenant-signature", Name: "date_signature", Label: "Date de signature", Hint: "Facultatif, JJ/MM/AAAA", Type: "text", Value: in.DateSignature, Error: ae["date_signature"]}
	v.AvenantEffet = formField{ID: "avenant-effet", Name: "date_effet", Label: "Date d'effet", Hint: "Facultatif, JJ/MM/AAAA", Type: "text", Value: in.DateEffet, Error: ae["date_effet"]}
	v.AvenantFin = formField{ID: "avenant-expiration", Name: "nouvelle_expiration", Label: "Nouvelle date d'expiration",
		Hint: "Prolongation seulement, JJ/MM/AAAA", Type: "text", Value: in.NouvelleExpiration, Error: ae["nouvelle_expiration"]}
	v.AvenantEcolesErr = ae["ecoles"]
	choices, err := s.store.AnnexChoices(c.Request().Context(), s.actor(c).Scope, id)
	if err != nil {
		return err
	}
	for _, ch := range choices {
		if ch.InAnnex {
			continue
		}
		v.AvenantEcoles = append(v.AvenantEcoles, checkField{ID: "avenant-ecole-" + ch.UAI, Name: "ecoles", Value: ch.UAI,
			Label:   ch.Nom + " (" + ch.CommuneNom + ", " + ch.UAI + ", " + strconv.FormatInt(ch.NbEleves, 10) + " élèves)",
			Checked: slices.Contains(in.Ecoles, ch.UAI)})
	}
	return nil
}

// conventionDocuments fills the documents' section: the convention's and its avenants'
// (added here too), shown open when the last action concerns it.
func (s *Server) conventionDocuments(c echo.Context, v *conventionView, cv models.ConventionRow) error {
	var err error
	if v.Documents, err = s.documentsSection(c, models.DocumentConvention, cv.ID, v.CanWrite); err != nil {
		return err
	}
	for _, a := range cv.Avenants {
		label := "Avenant n° " + strconv.Itoa(a.Numero)
		docs, err := s.store.ListDocuments(c.Request().Context(), s.actor(c).Scope, models.DocumentAvenant, a.ID)
		if err != nil {
			return err
		}
		for _, d := range docs {
			v.Documents.Items = append(v.Documents.Items, newDocumentItem(d, label))
		}
		v.Documents.Owners = append(v.Documents.Owners, models.Choice{Value: strconv.FormatInt(a.ID, 10), Label: label + " (" + a.ObjetLabel() + ")"})
	}
	v.Documents.Owner = c.FormValue("avenant")
	d := v.Documents
	v.Open["documents"] = c.QueryParam("document") != "" || d.Done != "" || d.Refused != "" || d.FichierError != "" ||
		d.OwnerError != "" || d.Description.Error != ""
	return nil
}

// conventionParties fills the parties of the page, with their line of the signatures form
// (the typed values and the errors of a refused save).
func (s *Server) conventionParties(v *conventionView, cv models.ConventionRow, st conventionState, errs map[string]string) {
	for _, p := range cv.Parties {
		pid := strconv.FormatInt(p.ID, 10)
		row := partyRow{ConventionParty: p, Removable: v.CanEditParties && !p.Signed()}
		if p.Signed() {
			v.Signed++
		}
		sig, fon, day := p.SignataireNom, p.SignataireFonction, p.DateLabel()
		perrs := map[string]string{}
		switch {
		case st.form == "partie-"+pid: // the one-party form (POST /conventions/:id/parties/:pid)
			sig, fon, day, perrs = st.party.Nom, st.party.Fonction, st.party.Date, errs
			if perrs["organisation"] != "" {
				perrs["signataire"] = perrs["organisation"]
			}
			v.SignaturesErrors = true
		case st.form == "signatures":
			if in, ok := st.signatures[p.ID]; ok {
				sig, fon, day = in.Nom, in.Fonction, in.Date
			}
			for _, f := range []string{"signataire", "fonction", "date_signature"} {
				perrs[f] = errs[f+"-"+pid]
			}
			v.SignaturesErrors = len(errs) > 0
		}
		row.Signataire = formField{ID: "partie-" + pid + "-signataire", Name: "signataire-" + pid, Label: "Signataire pour " + p.OrganisationNom,
			Type: "text", Value: sig, Error: perrs["signataire"]}
		row.Fonction = formField{ID: "partie-" + pid + "-fonction", Name: "fonction-" + pid, Label: "Fonction du signataire pour " + p.OrganisationNom,
			Type: "text", Value: fon, Error: perrs["fonction"]}
		row.Date = formField{ID: "partie-" + pid + "-date", Name: "date_signature-" + pid, Label: "Date de signature pour " + p.OrganisationNom,
			Hint: "JJ/MM/AAAA", Type: "text", Value: day, Error: perrs["date_signature"]}
		v.Parties = append(v.Parties, row)
	}
	if st.form == "partie" || st.form == "parties" {
		v.PartiesError = errs["parties"]
	}
	if st.form == "signatures" {
		v.SignaturesConflict = st.conflict
	}
}

// partyForm fills the form that adds a party: an organisation, or a commune whose
// organisation is created if needed.
func (s *Server) partyForm(c echo.Context, v *conventionView, cv models.ConventionRow, st conventionState, errs map[string]string) error {
	orgs, err := s.store.ConventionOrganisationChoices(c.Request().Context(), s.scope(c))
	if err != nil {
		return err
	}
	var pe map[string]string
	in, commune := models.PartyInput{}, ""
	if st.form == "partie" {
		pe, in, commune = errs, st.party, st.commune
	}
	org := ""
	if in.OrganisationID > 0 {
		org = strconv.FormatInt(in.OrganisationID, 10)
	}
	dep := ""
	if cv.Kind != models.ConventionCadre {
		dep = "departement=" + cv.Departement()
	}
	v.PartyOrg = selectField{ID: "partie-organisation", Name: "organisation", Label: "Organisation", Hint: "Un organisme enregistré",
		All: "Choisir une organisation", Value: org, Choices: orgs, Error: pe["organisation"]}
	v.PartyCommune = placeField{ID: "partie-commune", Name: "commune", Kind: placeCommunes, Label: "Ou une commune",
		Hint: "Son nom ou son code INSEE (exemple : Bobigny) : son organisme est créé s'il n'existe pas encore", Value: commune,
		Error: pe["commune"], Params: dep}
	v.PartySignataire = formField{ID: "partie-signataire", Name: "signataire", Label: "Signataire", Hint: "Facultatif", Type: "text", Value: in.Nom, Error: pe["signataire"]}
	v.PartyFonction = formField{ID: "partie-fonction", Name: "fonction", Label: "Fonction", Hint: "Facultatif", Type: "text", Value: in.Fonction, Error: pe["fonction"]}
	v.PartyDate = formField{ID: "partie-date", Name: "date_signature", Label: "Date de signature", Hint: "Facultatif, JJ/MM/AAAA", Type: "text", Value: in.Date, Error: pe["date_signature"]}
	return nil
}

// annexView is the annex form: the écoles of the covered communes, checked when in the annex.
type annexView struct {
	C         models.ConventionRow
	CanWrite  bool
	Ecoles    []checkField
	ByAvenant []models.AnnexChoice
	Error     string
	Eleves    int
}

func (s *Server) showConventionAnnex(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	return s.annexPage(c, http.StatusOK, id, nil, "", false)
}

// annexPage renders the annex form: the écoles checked as typed (nil: as stored), or all
// of them with all ("Tout sélectionner" without JavaScript).
func (s *Server) annexPage(c echo.Context, status int, id int64, typed []string, msg string, all bool) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	cv, err := s.store.GetConvention(ctx, actor.Scope, id)
	if err != nil {
		return err
	}
	choices, err := s.store.AnnexChoices(ctx, actor.Scope, id)
	if err != nil {
		return err
	}
	v := annexView{C: cv, CanWrite: models.CanWriteConvention(actor, cv.Convention), Error: msg}
	for _, ch := range choices {
		if ch.ByAvenant {
			v.ByAvenant = append(v.ByAvenant, ch)
			continue
		}
		checked := ch.InAnnex
		if typed != nil {
			checked = slices.Contains(typed, ch.UAI)
		}
		checked = checked || all
		if checked {
			v.Eleves += int(ch.NbEleves)
		}
		v.Ecoles = append(v.Ecoles, checkField{ID: "annexe-" + ch.UAI, Name: "ecoles", Value: ch.UAI,
			Label: ch.Nom + " — " + ch.CommuneNom + " (" + ch.UAI + ", " + ch.Type + ", " + strconv.FormatInt(ch.NbEleves, 10) + " élèves)", Checked: checked})
	}
	href := "/conventions/" + strconv.FormatInt(id, 10)
	return s.render(c, status, "conventions/annex", "Annexe des écoles — "+cv.Reference,
		[]crumb{home, conventionsCrumb, {Label: cv.Reference, Href: href}, {Label: "Annexe des écoles"}}, v)
}
