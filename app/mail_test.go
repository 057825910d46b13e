package app_test

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"io"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// smtpSecret is the SMTP password of these tests: it must appear in no page, log line or
// audit event.
const smtpSecret = "Mot-de-passe-SMTP-tres-secret"

// receivedMail is a message the test SMTP server accepted.
type receivedMail struct {
	From string
	To   []string
	Data []byte
}

// testSMTP is a real SMTP server (go-smtp) started inside the test, keeping the messages
// it accepts in memory. With a username, it requires AUTH PLAIN with that username and
// smtpSecret, which it offers only over TLS.
type testSMTP struct {
	Host  string
	Port  int
	Roots *x509.CertPool // trusts the server's certificate (valid for 127.0.0.1)
	srv   *smtp.Server
	user  string
	mu    sync.Mutex
	mails []receivedMail
}

// startSMTP starts a test SMTP server: security is models.MailSecurityTLS (TLS from the
// first byte), models.MailSecurityStartTLS or models.MailSecurityNone.
func startSMTP(t *testing.T, security, user string) *testSMTP {
	t.Helper()
	// The certificate of net/http/httptest, valid for 127.0.0.1: no key to generate here.
	ts := httptest.NewUnstartedServer(http.NotFoundHandler())
	ts.StartTLS()
	cert, roots := ts.TLS.Certificates[0], x509.NewCertPool()
	roots.AddCert(ts.Certificate())
	ts.Close()

	ms := &testSMTP{Host: "127.0.0.1", Roots: roots, user: user}
	ms.srv = smtp.NewServer(ms)
	ms.srv.Domain = "localhost"
	ms.srv.ReadTimeout, ms.srv.WriteTimeout = 10*time.Second, 10*time.Second
	ms.srv.ErrorLog = smtpLogger{}
	var l net.Listener
	var err error
	switch security {
	case models.MailSecurityTLS:
		ms.srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
		l, err = tls.Listen("tcp", "127.0.0.1:0", ms.srv.TLSConfig)
	case models.MailSecurityStartTLS:
		ms.srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
		l, err = net.Listen("tcp", "127.0.0.1:0")
	default:
		l, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		t.Fatal(err)
	}
	ms.Port = l.Addr().(*net.TCPAddr).Port
	go func() { _ = ms.srv.Serve(l) }()
	t.Cleanup(func() { _ = ms.srv.Close() })
	return ms
}

// Close stops the server: the next connection is refused.
func (ms *testSMTP) Close() { _ = ms.srv.Close() }

// Mails returns the messages accepted so far.
func (ms *testSMTP) Mails() []receivedMail {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return append([]receivedMail(nil), ms.mails...)
}

// NewSession implements smtp.Backend.
func (ms *testSMTP) NewSession(*smtp.Conn) (smtp.Session, error) {
	s := &smtpSession{ms: ms}
	if ms.user != "" {
		return &smtpAuthSession{s}, nil
	}
	return s, nil
}

type smtpSession struct {
	ms     *testSMTP
	authed bool
	from   string
	to     []string
}

func (s *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	if s.ms.user != "" && !s.authed {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *smtpSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.ms.mu.Lock()
	defer s.ms.mu.Unlock()
	s.ms.mails = append(s.ms.mails, receivedMail{From: s.from, To: s.to, Data: b})
	return nil
}

func (s *smtpSession) Reset()        { s.from, s.to = "", nil }
func (s *smtpSession) Logout() error { return nil }

// smtpAuthSession offers AUTH PLAIN.
type smtpAuthSession struct{ *smtpSession }

func (s *smtpAuthSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *smtpAuthSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, username, password string) error {
		if username != s.ms.user || password != smtpSecret {
			return smtp.ErrAuthFailed
		}
		s.authed = true
		return nil
	}), nil
}

type smtpLogger struct{}

func (smtpLogger) Printf(string, ...any) {}
func (smtpLogger) Println(...any)        {}

// parsedMail is a received message, decoded.
type parsedMail struct {
	Header  mail.Header
	Subject string
	Body    string
}

func parseMail(t *testing.T, m receivedMail) parsedMail {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		t.Fatalf("message illisible : %v\n%s", err, m.Data)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	var body io.Reader = msg.Body
	switch strings.ToLower(msg.Header.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	if ct := msg.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") || !strings.Contains(strings.ToLower(ct), "utf-8") {
		t.Errorf("Content-Type %q", ct)
	}
	return parsedMail{Header: msg.Header, Subject: subject, Body: string(b)}
}

// lockedBuffer collects the server's log lines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// mailServer builds the real server with cfg, logging at debug level into logs.
func mailServer(t *testing.T, store *models.Store, cfg app.Config, logs io.Writer) http.Handler {
	t.Helper()
	v := app.SharedViews(t)
	cfg.Addr, cfg.LoginRate = "127.0.0.1:0", 1000
	return app.New(cfg, store, v, slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))).Handler()
}

// smtpForm is the settings form for the test server; without a password, the one kept
// (if any) is cleared.
func smtpForm(ms *testSMTP, security, user, password, version string) url.Values {
	f := url.Values{"serveur": {ms.Host}, "port": {strconv.Itoa(ms.Port)}, "securite": {security},
		"identifiant": {user}, "mot_de_passe": {password}, "expediteur": {"ne-pas-repondre@ac-creteil.fr"},
		"nom_expediteur": {"Pilotage ENT 1D"}, "version": {version}}
	if password == "" {
		f.Set("effacer_mot_de_passe", "oui")
	}
	return f
}

// TestPasswordLinkByMail: an administrator sets the SMTP server on /admin/messagerie (the
// password field is write-only), sends a test message, then a password link: a real SMTP
// server started here receives it, for the account's address, with the French subject and
// a body holding the link, its expiry, the sender and what to do if unexpected; the page
// says where it went and does not show the link. When sending fails, the page says why,
// in French, and shows the link to copy. No secret reaches the pages, the logs or the
// audit log.
func TestPasswordLinkByMail(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ms := startSMTP(t, models.MailSecurityStartTLS, "pilotage")
		var logs lockedBuffer
		h := mailServer(t, s, app.Config{MailRootCAs: ms.Roots}, &logs)
		alice := newFormClient(t, h, signIn(t, s, models.UserInput{Email: "alice@ac-creteil.fr", Nom: "Alice Admin", Role: models.RoleAdmin}))
		id := createdID(t, alice.post("/admin/utilisateurs", userForm("Irène IA", "irene@ac-creteil.fr", "ia_dasen", "departement", "93")))
		show := "/admin/utilisateurs/" + strconv.FormatInt(id, 10)

		// Without a mail server, the link is shown to copy, as before.
		d := page(t, alice.post(show+"/lien", nil), "lien sans messagerie", http.StatusOK)
		if d.Find("#lien-mot-de-passe").Length() != 1 || d.Find("#lien-envoye, #envoi-echoue").Length() != 0 {
			t.Fatal("sans messagerie, le lien doit être affiché, sans message d'envoi")
		}

		pages := setMailSettings(t, alice, ms)
		pages = append(pages, sendTestMail(t, alice, ms))

		// The password link goes by mail and is not shown.
		rec := alice.post(show+"/lien", nil)
		pages = append(pages, rec.Body.String())
		link := checkLinkMailed(t, rec, ms)
		// The link of the mail works.
		path := strings.TrimPrefix(link, "http://127.0.0.1:0")
		page(t, newFormClient(t, h, "").get(path), path, http.StatusOK)

		// Sending fails: the page says why, in French, and shows the link to copy.
		ms.Close()
		rec = alice.post(show+"/lien", nil)
		pages = append(pages, rec.Body.String())
		checkMailFailure(t, page(t, rec, "échec de l'envoi", http.StatusOK), ms.Port)

		checkNoMailSecret(t, s, logs.String(), pages, link)
	})
}

// setMailSettings checks the settings page of an unset mail server, refuses credentials
// without encryption, saves the settings with STARTTLS and checks the page then (the
// password field stays empty); it returns the pages it got.
func setMailSettings(t *testing.T, alice *formClient, ms *testSMTP) []string {
	t.Helper()
	var pages []string
	rec := alice.get("/admin/messagerie")
	pages = append(pages, rec.Body.String())
	d := page(t, rec, "/admin/messagerie", http.StatusOK)
	checkPageRules(t, "/admin/messagerie", d)
	if !strings.Contains(d.Find("#etat-messagerie").Text(), "non configuré") || d.Find("#bouton-essai").Length() != 0 {
		t.Error("page d'une messagerie non configurée")
	}
	rec = alice.post("/admin/messagerie", smtpForm(ms, models.MailSecurityNone, "pilotage", smtpSecret, "0"))
	pages = append(pages, rec.Body.String())
	d = page(t, rec, "réglages en clair", http.StatusUnprocessableEntity)
	if !strings.Contains(d.Find("#smtp-securite-erreur").Text(), "circuleraient en clair") {
		t.Errorf("identifiants sans chiffrement acceptés : %s", d.Find(".fr-error-text").Text())
	}
	if rec := alice.post("/admin/messagerie", smtpForm(ms, models.MailSecurityStartTLS, "pilotage", smtpSecret, "0")); rec.Code != http.StatusSeeOther {
		t.Fatalf("enregistrement : %d\n%s", rec.Code, rec.Body.String())
	}
	rec = alice.get("/admin/messagerie?fait=enregistrement")
	pages = append(pages, rec.Body.String())
	d = page(t, rec, "réglages enregistrés", http.StatusOK)
	checkPageRules(t, "/admin/messagerie", d)
	if !strings.Contains(d.Find("#etat-messagerie").Text(), "activé") || !strings.Contains(d.Find("#etat-messagerie").Text(), "127.0.0.1") {
		t.Errorf("état : %q", d.Find("#etat-messagerie").Text())
	}
	if v, has := d.Find("#smtp-mot-de-passe").Attr("value"); has || v != "" {
		t.Errorf("le champ du mot de passe a une valeur : %q", v)
	}
	if !strings.Contains(d.Find("#smtp-mot-de-passe").Parent().Text(), "Un mot de passe est enregistré") {
		t.Error("la page ne dit pas qu'un mot de passe est enregistré")
	}
	return pages
}

// sendTestMail sends the test message, which goes to the administrator's address by
// default, and returns the page.
func sendTestMail(t *testing.T, alice *formClient, ms *testSMTP) string {
	t.Helper()
	rec := alice.post("/admin/messagerie/essai", nil)
	d := page(t, rec, "message d'essai", http.StatusOK)
	if !strings.Contains(d.Find("#essai-envoye").Text(), "Message d'essai envoyé à alice@ac-creteil.fr") {
		t.Fatalf("essai : %q %q", d.Find("#essai-envoye").Text(), d.Find("#essai-echoue").Text())
	}
	got := ms.Mails()
	if len(got) != 1 || len(got[0].To) != 1 || got[0].To[0] != "alice@ac-creteil.fr" {
		t.Fatalf("messages reçus : %+v", got)
	}
	if m := parseMail(t, got[0]); m.Subject != "Pilotage ENT 1D : message d'essai" || !strings.Contains(m.Body, "Ce message d'essai a été envoyé par Alice Admin") {
		t.Errorf("message d'essai : %q\n%s", m.Subject, m.Body)
	}
	return rec.Body.String()
}

// checkLinkMailed checks the page after the password link was mailed (it says where, and
// does not show the link), and the mail (addresses, subject, body), and returns the link.
func checkLinkMailed(t *testing.T, rec *httptest.ResponseRecorder, ms *testSMTP) string {
	t.Helper()
	d := page(t, rec, "lien par courriel", http.StatusOK)
	if txt := strings.Join(strings.Fields(d.Find("#lien-envoye").Text()), " "); !strings.Contains(txt, "Le lien a été envoyé à irene@ac-creteil.fr") {
		t.Fatalf("page après l'envoi : %q / %q", txt, d.Find("#envoi-echoue").Text())
	}
	if d.Find("#lien-mot-de-passe").Length() != 0 || strings.Contains(rec.Body.String(), "/mot-de-passe/mdp_") {
		t.Error("le lien envoyé par courriel est aussi affiché")
	}
	got := ms.Mails()
	if len(got) != 2 || len(got[1].To) != 1 || got[1].To[0] != "irene@ac-creteil.fr" || got[1].From != "ne-pas-repondre@ac-creteil.fr" {
		t.Fatalf("messages reçus : %+v", got)
	}
	m := parseMail(t, got[1])
	if m.Subject != "Pilotage ENT 1D : choisissez votre mot de passe" {
		t.Errorf("objet %q", m.Subject)
	}
	if to, _ := mail.ParseAddress(m.Header.Get("To")); to == nil || to.Address != "irene@ac-creteil.fr" {
		t.Errorf("To: %q", m.Header.Get("To"))
	}
	if from, _ := mail.ParseAddress(m.Header.Get("From")); from == nil || from.Name != "Pilotage ENT 1D" || from.Address != "ne-pas-repondre@ac-creteil.fr" {
		t.Errorf("From: %q", m.Header.Get("From"))
	}
	if reply, _ := mail.ParseAddress(m.Header.Get("Reply-To")); reply == nil || reply.Address != "alice@ac-creteil.fr" {
		t.Errorf("Reply-To: %q", m.Header.Get("Reply-To"))
	}
	link := regexp.MustCompile(`http://127\.0\.0\.1:0/mot-de-passe/mdp_[A-Za-z0-9_-]+`).FindString(m.Body)
	for _, want := range []string{"Bonjour Irène IA,", "Un compte a été ouvert à votre nom sur Pilotage ENT 1D",
		"Pour choisir votre mot de passe, ouvrez ce lien :", "ne sert qu'une fois et expire le ",
		"Ce lien vous est envoyé par Alice Admin (alice@ac-creteil.fr), administrateur de Pilotage ENT 1D.",
		"Si vous n'attendiez pas ce message, n'ouvrez pas le lien"} {
		if !strings.Contains(m.Body, want) {
			t.Errorf("corps sans « %s » :\n%s", want, m.Body)
		}
	}
	if link == "" {
		t.Fatalf("corps sans lien :\n%s", m.Body)
	}
	return link
}

// checkMailFailure checks the page after a failed sending says why, in French, and shows
// the link to copy.
func checkMailFailure(t *testing.T, d *goquery.Document, port int) {
	t.Helper()
	failure := strings.Join(strings.Fields(d.Find("#envoi-echoue").Text()), " ")
	if !strings.Contains(failure, "Le lien n'a pas été envoyé par courriel") || !strings.Contains(failure, "Échec de l'envoi du courriel : le serveur SMTP 127.0.0.1:"+strconv.Itoa(port)+" refuse la connexion") {
		t.Errorf("message d'échec : %q", failure)
	}
	if shown := strings.TrimSpace(d.Find("#lien-mot-de-passe").Text()); !strings.HasPrefix(shown, "http://127.0.0.1:0/mot-de-passe/mdp_") {
		t.Errorf("lien non affiché après l'échec : %q", shown)
	}
}

// checkNoMailSecret checks that no secret (the SMTP password, the link, the address it went
// to) is in the log, the pages or the audit log, and that the pages are valid HTML.
func checkNoMailSecret(t *testing.T, s *models.Store, log string, pages []string, link string) {
	t.Helper()
	if !strings.Contains(log, "courriel envoyé") || !strings.Contains(log, "échec de l'envoi d'un courriel") {
		t.Errorf("journal sans les envois :\n%s", log)
	}
	for _, secret := range []string{smtpSecret, "mdp_", link, "irene@ac-creteil.fr"} {
		if strings.Contains(log, secret) {
			t.Errorf("le journal contient %q :\n%s", secret, log)
		}
	}
	for _, p := range pages {
		if strings.Contains(p, smtpSecret) {
			t.Error("une page contient le mot de passe SMTP")
		}
	}
	t.Run("W3C", func(t *testing.T) {
		w := newW3CPages(t)
		for i, p := range pages {
			w.add("page de messagerie n° "+strconv.Itoa(i+1), []byte(p))
		}
		w.check()
	})
	events, err := s.ListAudit(t.Context(), models.SystemActor("test"), models.AuditFilter{}, models.PageRequest{Size: models.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range events.Items {
		if strings.Contains(ev.Changes, smtpSecret) || strings.Contains(ev.Changes, "mdp_") {
			t.Errorf("secret au journal d'audit : %s", ev.Changes)
		}
	}
}

// TestMailSecurityModes: the test message leaves with each security mode (implicit TLS with
// authentication, a relay without encryption nor authentication); a wrong password, an
// unknown certificate and a server that does not speak TLS are explained in French.
func TestMailSecurityModes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		for _, c := range []struct {
			name, server, security, user, password string
			untrusted                              bool
			want                                   string // "" when the message must leave
		}{
			{"TLS implicite", models.MailSecurityTLS, models.MailSecurityTLS, "pilotage", smtpSecret, false, ""},
			{"relais interne", models.MailSecurityNone, models.MailSecurityNone, "", "", false, ""},
			{"mauvais mot de passe", models.MailSecurityTLS, models.MailSecurityTLS, "pilotage", "pas-le-bon-mot-de-passe", false,
				"le serveur SMTP refuse l'identifiant ou le mot de passe"},
			{"certificat inconnu", models.MailSecurityStartTLS, models.MailSecurityStartTLS, "pilotage", smtpSecret, true,
				"le certificat du serveur SMTP 127.0.0.1:"},
			{"pas de TLS sur ce port", models.MailSecurityNone, models.MailSecurityTLS, "", "", false,
				"ne parle pas TLS dès la connexion"},
		} {
			t.Run(c.name, func(t *testing.T) {
				ms := startSMTP(t, c.server, c.user)
				cfg := app.Config{MailRootCAs: ms.Roots}
				if c.untrusted {
					cfg.MailRootCAs = x509.NewCertPool()
				}
				var logs lockedBuffer
				h := mailServer(t, s, cfg, &logs)
				fc := newFormClient(t, h, signIn(t, s, models.UserInput{Email: "admin@ac-creteil.fr", Nom: "Admin Essai", Role: models.RoleAdmin}))
				current, err := s.MailSettings(t.Context())
				if err != nil {
					t.Fatal(err)
				}
				if rec := fc.post("/admin/messagerie", smtpForm(ms, c.security, c.user, c.password, strconv.Itoa(current.Version))); rec.Code != http.StatusSeeOther {
					t.Fatalf("enregistrement : %d\n%s", rec.Code, rec.Body.String())
				}
				d := page(t, fc.post("/admin/messagerie/essai", url.Values{"destinataire": {"essai@ac-creteil.fr"}}), "essai", http.StatusOK)
				sent, failed := d.Find("#essai-envoye").Text(), strings.Join(strings.Fields(d.Find("#essai-echoue").Text()), " ")
				t.Logf("%s : %s", c.name, failed)
				switch {
				case c.want == "" && (sent == "" || len(ms.Mails()) != 1):
					t.Errorf("message non envoyé : %q", failed)
				case c.want != "" && (!strings.Contains(failed, "Échec de l'envoi du courriel : ") || !strings.Contains(failed, c.want) || len(ms.Mails()) != 0):
					t.Errorf("échec : %q, attendu « %s »", failed, c.want)
				}
				if strings.Contains(logs.String(), smtpSecret) || strings.Contains(logs.String(), c.password) && c.password != "" {
					t.Errorf("mot de passe au journal :\n%s", logs.String())
				}
			})
		}
	})
}

// TestMailTestMessageAndDisable: the test message needs settings (409 otherwise) and a
// valid address (422); disabling removes the settings.
func TestMailTestMessageAndDisable(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ms := startSMTP(t, models.MailSecurityNone, "")
		h := mailServer(t, s, app.Config{}, io.Discard)
		fc := newFormClient(t, h, signIn(t, s, models.UserInput{Email: "admin@ac-creteil.fr", Nom: "Admin", Role: models.RoleAdmin}))
		if rec := fc.post("/admin/messagerie/essai", nil); rec.Code != http.StatusConflict ||
			!strings.Contains(rec.Body.String(), "Enregistrez d&#39;abord les réglages du serveur SMTP") {
			t.Errorf("essai sans messagerie : %d", rec.Code)
		}
		if rec := fc.post("/admin/messagerie", smtpForm(ms, models.MailSecurityNone, "", "", "0")); rec.Code != http.StatusSeeOther {
			t.Fatalf("enregistrement : %d\n%s", rec.Code, rec.Body.String())
		}
		d := page(t, fc.post("/admin/messagerie/essai", url.Values{"destinataire": {"pas une adresse"}}), "adresse invalide", http.StatusUnprocessableEntity)
		if !strings.Contains(d.Find("#smtp-essai-erreur").Text(), "Saisissez une adresse électronique") || len(ms.Mails()) != 0 {
			t.Errorf("adresse invalide : %q", d.Find("#smtp-essai-erreur").Text())
		}
		// A stale form (version 0 after a save) is a conflict, with the current values.
		d = page(t, fc.post("/admin/messagerie", smtpForm(ms, models.MailSecurityNone, "", "", "0")), "formulaire périmé", http.StatusConflict)
		if d.Find("#conflit").Length() != 1 {
			t.Error("formulaire périmé sans conflit")
		}
		if rec := fc.post("/admin/messagerie/desactiver", nil); rec.Code != http.StatusSeeOther {
			t.Errorf("désactivation : %d", rec.Code)
		}
		if m, _ := s.MailSettings(t.Context()); m.Configured() {
			t.Error("messagerie toujours configurée")
		}
		d = page(t, fc.get("/admin/messagerie?fait=desactivation"), "après désactivation", http.StatusOK)
		if !strings.Contains(d.Text(), "L'envoi par courriel est désactivé") {
			t.Error("page après désactivation sans confirmation")
		}
		if n := d.Find("#historique").Next().Find("tbody tr").Length(); n < 2 {
			t.Errorf("historique : %d lignes", n)
		}
	})
}
