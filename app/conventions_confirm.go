package app

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// The confirmation step of the moves that end a convention: "Résilier" and "Déclarer
// échue" open a page that explains the consequences (GET /conventions/:id/statut/:vers),
// whose form posts the move (POST /conventions/:id/statut); a refused move comes back to
// this page with its errors (422).

// confirmView is the confirmation page of a move that ends a convention.
type confirmView struct {
	C            models.ConventionRow
	T            transitionForm
	Consequences []string
	Back         string
}

// endingConsequences explains, per move, what ending the convention does.
func endingConsequences(cv models.ConventionRow, vers string) []string {
	alerts := "Ses communes n'ont plus de convention en vigueur à ce titre : celles qu'aucune autre convention en vigueur ne couvre apparaissent dans les alertes « communes sans convention en vigueur » et dans les compteurs de l'accueil."
	kept := "L'annexe des écoles, les parties, les documents et les plans de financement restent consultables."
	if vers == models.StatutResiliee {
		return []string{
			"Le statut devient « Résiliée » : c'est définitif. Aucun autre changement de statut ni aucun avenant ne sera plus possible.",
			"La date et le motif de la résiliation sont inscrits dans la chronologie de la convention et dans le journal des modifications.",
			alerts, kept,
		}
	}
	fin := "sa date d'expiration après avenants"
	if l := cv.FinLabel(); l != "" {
		fin += " (" + l + ")"
	}
	return []string{
		"Le statut devient « Échue » : c'est définitif. La convention ne pourra plus être résiliée ni prolongée par avenant.",
		"Sans date, la date d'échéance est " + fin + ". Le passage est inscrit dans la chronologie et le journal ; à défaut, il l'est automatiquement le lendemain de l'expiration.",
		alerts, kept,
	}
}

func (s *Server) confirmTransition(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	return s.confirmPage(c, http.StatusOK, id, models.TransitionInput{Vers: c.Param("vers")}, nil)
}

// confirmPage renders the confirmation step of the move in.Vers, with the typed values and
// errors of a refused post: 404 when the move is not one that ends the convention or is
// not allowed from its status, 403 for a role that does not write the convention.
func (s *Server) confirmPage(c echo.Context, status int, id int64, in models.TransitionInput, errs map[string]string) error {
	actor := s.actor(c)
	cv, err := s.store.GetConvention(c.Request().Context(), actor.Scope, id)
	if err != nil {
		return err
	}
	if !models.CanWriteConvention(actor, cv.Convention) {
		return models.ErrForbidden
	}
	i := slices.IndexFunc(cv.NextStatuts(), func(n models.Choice) bool { return n.Value == in.Vers })
	if i < 0 || !slices.Contains(endingStatuts, in.Vers) {
		return echo.NewHTTPError(http.StatusNotFound)
	}
	label := cv.NextStatuts()[i].Label
	d := transitionDates[in.Vers]
	href := "/conventions/" + strconv.FormatInt(id, 10)
	v := confirmView{C: cv, Back: href + "#workflow", Consequences: endingConsequences(cv, in.Vers),
		T: transitionForm{Vers: in.Vers, Label: label, DateLabel: d[0], DateHint: d[1], Date: in.Date, Motif: in.Motif,
			NeedsMotif: in.Vers == models.StatutResiliee, DateError: errs["date"], MotifErr: errs["motif"]}}
	if msg := errs["vers"]; msg != "" {
		v.T.DateError = firstOf(v.T.DateError, msg)
	}
	return s.render(c, status, "conventions/confirm", label+" — "+cv.Reference,
		[]crumb{home, conventionsCrumb, {Label: cv.Reference, Href: href}, {Label: label}}, v)
}
