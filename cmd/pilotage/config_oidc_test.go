package main

import (
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/app"
)

// TestCheckOIDC: ProConnect unset is fine; half set names what is missing; an address that
// is not http(s) is refused, in French.
func TestCheckOIDC(t *testing.T) {
	full := app.OIDCConfig{Issuer: "https://auth.agentconnect.gouv.fr/api/v2", ClientID: "id", ClientSecret: "secret",
		RedirectURL: "https://pilotage.example.fr/connexion/proconnect/retour"}
	for _, c := range []struct {
		name string
		in   app.OIDCConfig
		want string // "" : accepted
	}{
		{"rien", app.OIDCConfig{}, ""},
		{"complet", full, ""},
		{"sans secret", app.OIDCConfig{Issuer: full.Issuer, ClientID: "id", RedirectURL: full.RedirectURL}, "PILOTAGE_OIDC_CLIENT_SECRET"},
		{"secret seul", app.OIDCConfig{ClientSecret: "s"}, "PILOTAGE_OIDC_ISSUER"},
		{"fournisseur sans schéma", app.OIDCConfig{Issuer: "auth.example.fr", ClientID: "id", ClientSecret: "s",
			RedirectURL: full.RedirectURL}, "n'est pas une adresse"},
		{"retour ftp", app.OIDCConfig{Issuer: full.Issuer, ClientID: "id", ClientSecret: "s", RedirectURL: "ftp://x/y"},
			"PILOTAGE_OIDC_REDIRECT_URL"},
	} {
		err := checkOIDC(c.in)
		if (err == nil) != (c.want == "") || err != nil && !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s : %v, attendu %q", c.name, err, c.want)
		}
	}
}
