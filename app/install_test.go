package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// TestLoginPageOnFreshInstall: while no administrator exists, the sign-in page says so,
// where the one-time installation link is (the console of the server) and the command
// line alternative; once an administrator exists, the message is gone. The demonstration
// mode never shows it.
func TestLoginPageOnFreshInstall(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *models.Store) {
		h := newAnonymousServer(t, store, app.Config{})
		rec := get(t, h, "/connexion")
		if rec.Code != http.StatusOK {
			t.Fatalf("/connexion : %d", rec.Code)
		}
		d := doc(t, rec)
		checkPageRules(t, "/connexion", d)
		t.Run("W3C", func(t *testing.T) {
			w := newW3CPages(t)
			w.add("/connexion (premier démarrage)", rec.Body.Bytes())
			w.check()
		})
		notice := d.Find("#premier-demarrage")
		if notice.Length() != 1 {
			t.Fatal("pas de message de premier démarrage sur une base sans administrateur")
		}
		text := strings.Join(strings.Fields(notice.Text()), " ")
		for _, want := range []string{
			"Aucun administrateur n'existe encore",
			"lien d'installation à usage unique affiché dans la console",
			"pilotage serve", "make run", "valable une heure",
			`pilotage user create --role admin --email prenom.nom@ac-creteil.fr --name "Prénom Nom"`,
		} {
			if !strings.Contains(text, want) {
				t.Errorf("message sans « %s » : %s", want, text)
			}
		}
		// A failed sign-in renders the same page, with the same message.
		rec = secLogin(t, h, "x@ac-creteil.fr", "faux mot de passe", nil)
		if rec.Code != http.StatusUnauthorized || doc(t, rec).Find("#premier-demarrage").Length() != 1 {
			t.Errorf("échec de connexion : %d, message %d", rec.Code, doc(t, rec).Find("#premier-demarrage").Length())
		}

		if _, err := store.CreateUser(context.Background(), models.SystemActor("test"),
			models.UserInput{Email: "admin@ac-creteil.fr", Nom: "Admin Test", Role: models.RoleAdmin}); err != nil {
			t.Fatal(err)
		}
		if n := doc(t, get(t, h, "/connexion")).Find("#premier-demarrage").Length(); n != 0 {
			t.Error("message de premier démarrage alors qu'un administrateur existe")
		}
	})
}
