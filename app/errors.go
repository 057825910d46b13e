package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// errorPage is what the error page shows.
type errorPage struct {
	Status    int
	Title     string
	Message   string
	RequestID string
}

// filterError is returned by handlers whose filter or query is invalid: the list page is
// re-rendered with the messages next to the fields, with status 400.
type filterError struct {
	Fields map[string]string
}

func (e *filterError) Error() string {
	parts := make([]string, 0, len(e.Fields))
	for k, v := range e.Fields {
		parts = append(parts, k+" : "+v)
	}
	return "paramètres invalides : " + strings.Join(parts, ", ")
}

// handleError is the one place where errors become responses: typed errors of the data
// layer and echo's HTTP errors get their status and a French page (or JSON under /api/).
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, title, msg := s.classify(c.Request().Context(), err)
	reqID := c.Response().Header().Get(echo.HeaderXRequestID)
	if status >= 500 {
		s.log.Error("erreur", slog.String("request_id", reqID), slog.String("error", err.Error()))
	}
	if strings.HasPrefix(c.Request().URL.Path, "/api/") {
		body := map[string]any{"error": msg, "request_id": reqID}
		var fe *filterError
		if errors.As(err, &fe) {
			body["fields"] = fe.Fields
		}
		_ = c.JSON(status, body)
		return
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	data := errorPage{Status: status, Title: title, Message: msg, RequestID: reqID}
	c.Response().Header().Set("Cache-Control", "no-store")
	if isHTMX(c) {
		_ = s.renderBlock(c, status, "errors/error", "alert", data)
		return
	}
	if rerr := s.render(c, status, "errors/error", title, nil, data); rerr != nil {
		s.log.Error("rendu de la page d'erreur", slog.String("error", rerr.Error()))
		_ = c.String(status, title)
	}
}

func (s *Server) classify(ctx context.Context, err error) (status int, title, msg string) {
	var he *echo.HTTPError
	var fe *filterError
	switch {
	case errors.As(err, &fe):
		return http.StatusBadRequest, "Paramètres invalides", "Certains paramètres de la recherche sont invalides : corrigez-les ci-dessous."
	case errors.Is(err, models.ErrBadCursor):
		return http.StatusBadRequest, "Paramètres invalides", "Le lien de pagination est invalide ou périmé : revenez à la première page de la liste."
	case errors.Is(err, models.ErrNotFound):
		return http.StatusNotFound, "Page introuvable", "La page demandée n'existe pas ou n'est plus disponible."
	case errors.Is(err, models.ErrForbidden):
		return http.StatusForbidden, "Accès refusé", "Vous n'avez pas accès à cette page."
	case errors.Is(err, models.ErrConflict):
		return http.StatusConflict, "Modifié entre-temps", "L'enregistrement a été modifié entre-temps."
	case errors.Is(err, errUploadsBusy):
		return http.StatusServiceUnavailable, "Service momentanément indisponible", msgUploadsBusy
	case errors.Is(err, errCSRF):
		return http.StatusForbidden, "Formulaire expiré",
			"Le jeton de sécurité du formulaire est absent ou invalide : rechargez la page et recommencez. Rien n'a été enregistré."
	case errors.As(err, &he):
		return he.Code, statusTitle(he.Code), statusMessage(he.Code)
	case errors.Is(err, context.Canceled):
		return 499, "Requête interrompue", "La requête a été interrompue."
	}
	// A database that cannot serve or write is an outage, not a bug: 503. An error the data
	// layer does not recognise is checked against the database's state.
	if models.IsUnavailable(err) || s.store.Ready(ctx) != nil {
		return http.StatusServiceUnavailable, "Service momentanément indisponible",
			"La base de données ne répond pas. Réessayez dans quelques instants."
	}
	return http.StatusInternalServerError, "Erreur interne", "Une erreur inattendue s'est produite. Elle a été enregistrée ; réessayez ou signalez-la avec l'identifiant ci-dessous."
}

func statusTitle(code int) string {
	switch code {
	case http.StatusNotFound:
		return "Page introuvable"
	case http.StatusMethodNotAllowed:
		return "Méthode non autorisée"
	case http.StatusRequestEntityTooLarge:
		return "Fichier trop volumineux"
	case http.StatusUnauthorized:
		return "Connexion requise"
	case http.StatusForbidden:
		return "Accès refusé"
	case http.StatusTooManyRequests:
		return "Trop de requêtes"
	case http.StatusServiceUnavailable:
		return "Service momentanément indisponible"
	}
	if code >= 500 {
		return "Erreur interne"
	}
	return "Requête invalide"
}

func statusMessage(code int) string {
	switch code {
	case http.StatusNotFound:
		return "La page demandée n'existe pas ou n'est plus disponible."
	case http.StatusMethodNotAllowed:
		return "Cette adresse n'accepte pas cette méthode."
	case http.StatusRequestEntityTooLarge:
		return "Le contenu envoyé dépasse la taille autorisée."
	case http.StatusUnauthorized:
		return "Connectez-vous pour accéder à cette page."
	case http.StatusTooManyRequests:
		return "Trop de requêtes en peu de temps : patientez un instant."
	}
	if code >= 500 {
		return "Une erreur inattendue s'est produite."
	}
	return fmt.Sprintf("La requête est invalide (code %d).", code)
}
