package app

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/textproto"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/views/fr"
	"github.com/labstack/echo/v4"
	mail "github.com/wneessen/go-mail"
)

// mailTimeout bounds the sending of one message: connection, TLS, authentication, data.
// Messages are sent while the administrator waits for the page, which then says whether
// the message left.
const mailTimeout = 20 * time.Second

// passwordLinkSubject is the subject of the mail carrying a one-time password link.
const passwordLinkSubject = "Pilotage ENT 1D : choisissez votre mot de passe"

// outgoingMail is one plain-text message to send.
type outgoingMail struct {
	To      string // the recipient's address
	ReplyTo string // the sender's own address, where an answer should go ("" for none)
	Subject string
	Body    string
}

// sendMail sends m through the SMTP server of settings, within mailTimeout. It runs after
// the change that produced the message was committed, and is not cancelled when the
// request is: a message that starts leaving finishes leaving. The error, if any, is in
// French and holds no secret; it is logged without the recipient's address.
func (s *Server) sendMail(ctx context.Context, settings models.MailSettings, m outgoingMail, purpose string) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), mailTimeout)
	defer cancel()
	err := deliver(ctx, settings, s.cfg.MailRootCAs, m)
	if err != nil {
		err = errors.New(mailFailure(err, settings))
		s.log.WarnContext(ctx, "échec de l'envoi d'un courriel", slog.String("objet", purpose),
			slog.Any("smtp", settings), slog.String("erreur", strings.ReplaceAll(err.Error(), m.To, "…")))
		return err
	}
	s.log.InfoContext(ctx, "courriel envoyé", slog.String("objet", purpose), slog.Any("smtp", settings))
	return nil
}

// deliver builds the message and hands it to the SMTP server.
func deliver(ctx context.Context, settings models.MailSettings, roots *x509.CertPool, m outgoingMail) error {
	msg := mail.NewMsg()
	if err := msg.FromFormat(settings.FromName, settings.FromAddress); err != nil {
		return err
	}
	if err := msg.To(m.To); err != nil {
		return err
	}
	if m.ReplyTo != "" {
		if err := msg.ReplyTo(m.ReplyTo); err != nil {
			return err
		}
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageID()
	msg.SetBodyString(mail.TypeTextPlain, m.Body)

	opts := []mail.Option{mail.WithPort(settings.Port), mail.WithTimeout(mailTimeout),
		mail.WithTLSConfig(&tls.Config{ServerName: settings.Host, MinVersion: tls.VersionTLS12, RootCAs: roots})}
	switch settings.Security {
	case models.MailSecurityTLS:
		opts = append(opts, mail.WithSSL())
	case models.MailSecurityStartTLS:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	}
	if settings.Username != "" {
		// The strongest mechanism the server offers; never a password in clear text on an
		// unencrypted connection (the settings refuse credentials without TLS anyway).
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover),
			mail.WithUsername(settings.Username), mail.WithPassword(settings.Password))
	}
	client, err := mail.NewClient(settings.Host, opts...)
	if err != nil {
		return err
	}
	return client.DialAndSendWithContext(ctx, msg)
}

// mailFailure explains in French why a message did not leave, followed by the client's own
// words (which never hold the password).
func mailFailure(err error, settings models.MailSettings) string {
	server := net.JoinHostPort(settings.Host, strconv.Itoa(settings.Port))
	var (
		dnsErr   *net.DNSError
		netErr   net.Error
		protoErr *textproto.Error
		certErr  *tls.CertificateVerificationError
		hostErr  x509.HostnameError
		authErr  x509.UnknownAuthorityError
		recErr   tls.RecordHeaderError
	)
	why := "le message n'a pas pu être envoyé"
	switch {
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &netErr) && netErr.Timeout()):
		why = fmt.Sprintf("le serveur SMTP %s n'a pas répondu à temps (%d secondes)", server, int(mailTimeout.Seconds()))
	case errors.As(err, &dnsErr):
		why = fmt.Sprintf("le serveur SMTP « %s » est introuvable (nom inconnu)", settings.Host)
	case errors.Is(err, syscall.ECONNREFUSED):
		why = fmt.Sprintf("le serveur SMTP %s refuse la connexion : vérifiez le serveur et le port", server)
	case errors.As(err, &recErr):
		why = fmt.Sprintf("le serveur %s ne parle pas TLS dès la connexion : choisissez STARTTLS, ou le port de TLS implicite (465)", server)
	case errors.As(err, &certErr) || errors.As(err, &hostErr) || errors.As(err, &authErr):
		why = fmt.Sprintf("le certificat du serveur SMTP %s n'est pas reconnu (autorité inconnue, ou certificat d'un autre nom)", server)
	case errors.Is(err, mail.ErrNoSupportedAuthDiscovered):
		why = "le serveur SMTP ne propose aucune méthode d'authentification utilisable sur cette connexion"
	case strings.Contains(err.Error(), "STARTTLS"):
		why = fmt.Sprintf("le serveur SMTP %s ne propose pas STARTTLS : choisissez TLS implicite (port 465) si le serveur le permet", server)
	case errors.As(err, &protoErr) && (protoErr.Code == 535 || protoErr.Code == 534):
		why = "le serveur SMTP refuse l'identifiant ou le mot de passe"
	case errors.As(err, &protoErr) && protoErr.Code == 530:
		why = "le serveur SMTP demande une authentification : renseignez l'identifiant et le mot de passe"
	case errors.As(err, &protoErr) && protoErr.Code >= 550:
		why = "le serveur SMTP refuse l'expéditeur ou le destinataire"
	}
	return "Échec de l'envoi du courriel : " + why + ". Détail : " + err.Error()
}

// passwordLinkMail is the message carrying a one-time password link to its holder: what
// the link is for, the link, its expiry, who sent it, and what to do if unexpected.
func passwordLinkMail(holder, sender models.User, link string, expiry time.Time) outgoingMail {
	var b strings.Builder
	fmt.Fprintf(&b, "Bonjour %s,\n\n", holder.Nom)
	if holder.HasPassword() {
		b.WriteString("Un lien vous est envoyé pour choisir un nouveau mot de passe sur Pilotage ENT 1D, " +
			"le suivi du déploiement des ENT dans les écoles du premier degré de l'académie. " +
			"Votre mot de passe actuel reste valable tant que vous n'en avez pas choisi un autre.\n\n")
	} else {
		b.WriteString("Un compte a été ouvert à votre nom sur Pilotage ENT 1D, le suivi du déploiement des ENT " +
			"dans les écoles du premier degré de l'académie.\n\n")
	}
	fmt.Fprintf(&b, "Pour choisir votre mot de passe, ouvrez ce lien :\n\n%s\n\n", link)
	fmt.Fprintf(&b, "Ce lien ne sert qu'une fois et expire le %s (heure de Paris). "+
		"Votre identifiant de connexion est votre adresse électronique : %s.\n\n", fr.DateTime(expiry), holder.Email)
	fmt.Fprintf(&b, "Ce lien vous est envoyé par %s (%s), administrateur de Pilotage ENT 1D.\n\n", sender.Nom, sender.Email)
	fmt.Fprintf(&b, "Si vous n'attendiez pas ce message, n'ouvrez pas le lien et prévenez %s en répondant à ce courriel : "+
		"sans action de votre part, le lien expirera sans rien changer à votre compte.\n", sender.Nom)
	return outgoingMail{To: holder.Email, ReplyTo: sender.Email, Subject: passwordLinkSubject, Body: b.String()}
}

// mailPasswordLink sends a one-time password link (just committed) to the account's holder
// when a mail server is configured. It returns the address the link was sent to, or why it
// was not sent ("" and "" when no mail server is configured: the link is shown to copy).
func (s *Server) mailPasswordLink(c echo.Context, holder models.User, link string, expiry time.Time) (sentTo, failure string) {
	ctx := c.Request().Context()
	settings, err := s.store.MailSettings(ctx)
	switch {
	case err != nil:
		return "", "Échec de l'envoi du courriel : les réglages de la messagerie n'ont pas pu être lus."
	case !settings.Configured():
		return "", ""
	}
	sender, _ := currentUser(c)
	if err := s.sendMail(ctx, settings, passwordLinkMail(holder, sender, link, expiry), "lien de mot de passe"); err != nil {
		return "", err.Error()
	}
	return holder.Email, ""
}
