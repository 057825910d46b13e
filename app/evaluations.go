package app

import (
	"net/http"
	"strconv"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/views/fr"
	"github.com/labstack/echo/v4"
)

// The evaluations of a session (/formations/:id/evaluations): its results (the number of
// answers, the means and shares from models.MinEvaluationAnswers answers) for whoever reads
// the session, its answers and the entry form of one answer for whoever writes it. After
// each answer the same page comes back with an empty form, to type the next one.

// evaluationForm is one answer as posted.
type evaluationForm struct {
	Satisfaction string `form:"satisfaction"`
	Utilite      string `form:"utilite"`
	UsageClasse  string `form:"usage_classe"`
	Commentaire  string `form:"commentaire"`
}

func (f evaluationForm) input() models.EvaluationInput {
	return models.EvaluationInput{Satisfaction: f.Satisfaction, Utilite: f.Utilite, UsageClasse: f.UsageClasse, Commentaire: f.Commentaire}
}

// radioGroup is a fieldset of radio buttons with its French error.
type radioGroup struct {
	ID, Name, Legend, Value, Error string
	Choices                        []models.Choice
}

// evaluationLine is a row of results in French: the means and shares, or "—".
type evaluationLine struct {
	Code, Label           string
	Reponses              int64
	Satisfaction, Utilite string
	Oui, Non, PeutEtre    string
	Shown                 bool
}

func newEvaluationLine(r models.EvaluationRow) evaluationLine {
	mean := func(p *float64) string {
		if p == nil {
			return "—"
		}
		return fr.Decimal(*p, 1)
	}
	part := func(p *float64) string {
		if p == nil {
			return "—"
		}
		return percent(*p)
	}
	return evaluationLine{Code: r.Code, Label: r.Label, Reponses: r.Reponses, Shown: r.Shown(),
		Satisfaction: mean(r.MeanSatisfaction()), Utilite: mean(r.MeanUtilite()),
		Oui: part(r.ShareOui()), Non: part(r.ShareNon()), PeutEtre: part(r.SharePeutEtre())}
}

// evaluationAnswer is an answer as listed.
type evaluationAnswer struct {
	Satisfaction, Utilite int
	Usage, Commentaire    string
	At                    string
}

// sessionEvaluationsView is the evaluations page of a session.
type sessionEvaluationsView struct {
	Session        models.FormationRow
	Base, Action   string
	Results        evaluationLine
	MinAnswers     int
	Answers        []evaluationAnswer
	Writes, CanAdd bool
	Why, Done      string
	HasErrors      bool
	General        string
	Groups         []radioGroup // satisfaction, usefulness, use in class
	Commentaire    formField
}

func (s *Server) evaluationsPage(c echo.Context, status int, id int64, f evaluationForm, errs map[string]string) error {
	ctx := c.Request().Context()
	row, err := s.store.GetFormation(ctx, s.scope(c), id)
	if err != nil {
		return err
	}
	res, err := s.store.ListEvaluations(ctx, s.actor(c), id)
	if err != nil {
		return err
	}
	base := "/formations/" + strconv.FormatInt(id, 10)
	v := sessionEvaluationsView{Session: row, Base: base, Action: base + "/evaluations", Results: newEvaluationLine(res.Summary),
		MinAnswers: models.MinEvaluationAnswers, Writes: res.Writes, CanAdd: res.CanAdd, Why: res.Why,
		HasErrors: len(errs) > 0, General: errs["formation"]}
	if c.QueryParam("fait") == "ajout" && status == http.StatusOK {
		v.Done = "Réponse enregistrée. Saisissez la suivante."
	}
	for _, a := range res.Answers {
		v.Answers = append(v.Answers, evaluationAnswer{Satisfaction: a.Satisfaction, Utilite: a.Utilite,
			Usage: models.LabelOf(models.UsagesClasse, a.UsageClasse), Commentaire: a.Commentaire, At: fr.DateTime(a.CreatedAt)})
	}
	radio := func(name, legend, value string, choices []models.Choice) radioGroup {
		return radioGroup{ID: "evaluation-" + name, Name: name, Legend: legend, Value: value, Error: errs[name], Choices: choices}
	}
	v.Groups = []radioGroup{
		radio("satisfaction", "Satisfaction (de 1, pas du tout satisfait, à 5, tout à fait)", f.Satisfaction, models.EvaluationNotes),
		radio("utilite", "Utilité pour la classe (de 1 à 5)", f.Utilite, models.EvaluationNotes),
		radio("usage_classe", "« J'utiliserai l'ENT en classe »", f.UsageClasse, models.UsagesClasse)}
	v.Commentaire = formField{ID: "evaluation-commentaire", Name: "commentaire", Label: "Commentaire",
		Hint: "Facultatif. Les réponses sont anonymes : n'y recopiez pas de nom.", Value: f.Commentaire, Error: errs["commentaire"]}
	crumbs := []crumb{home, formationsCrumb, {Label: row.Titre(), Href: base}, {Label: "Évaluations"}}
	return s.render(c, status, "formations/evaluations", "Évaluations de la session", crumbs, v)
}

func (s *Server) showEvaluations(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	return s.evaluationsPage(c, http.StatusOK, id, evaluationForm{}, nil)
}

// createEvaluation records one answer: 422 with the field errors, 403 refused, then back to
// the page with an empty form.
func (s *Server) createEvaluation(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	f, err := bindForm[evaluationForm](c)
	if err != nil {
		return err
	}
	_, err = s.store.AddEvaluation(c.Request().Context(), s.actor(c), id, f.input())
	return formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		if msg != "" {
			errs = map[string]string{"formation": msg}
		}
		return s.evaluationsPage(c, status, id, f, errs)
	}, Refused: "Rien n'a été enregistré : votre rôle ne permet pas d'évaluer cette session.",
		Redirect: "/formations/" + strconv.FormatInt(id, 10) + "/evaluations?fait=ajout#saisie"}.saved(c, err)
}
