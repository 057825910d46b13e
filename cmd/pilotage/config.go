package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/spf13/cobra"
)

// defaultSQLite is where the embedded database lives when DATABASE_URL is empty.
const defaultSQLite = "./data/pilotage.db"

// config is built once from the environment, overridden by flags, and passed down.
type config struct {
	DatabaseURL     string
	Addr            string
	BaseURL         string
	LogLevel        string
	SessionIdle     string // PILOTAGE_SESSION_IDLE as given ("" for the default), checked by appConfig
	SessionMax      string // PILOTAGE_SESSION_MAX as given ("" for the default), checked by appConfig
	TrustedProxies  string
	Demo            bool           // serve --demo: demonstration accounts with a public password
	AlertExpiry     int            // days before expiry a convention is signalled
	AlertSignature  int            // days "à la signature" after which a convention is signalled
	SeuilActivation int            // percent of pupils under which an opened école is to watch (/usages)
	Legal           app.LegalInfo  // the operator, for the legal pages
	OIDC            app.OIDCConfig // ProConnect (PILOTAGE_OIDC_*), checked by appConfig
}

func configFromEnv() config {
	return config{
		DatabaseURL:     os.Getenv("DATABASE_URL"),
		Addr:            envOr("PILOTAGE_ADDR", "127.0.0.1:8080"),
		BaseURL:         os.Getenv("PILOTAGE_BASE_URL"),
		LogLevel:        envOr("PILOTAGE_LOG_LEVEL", "info"),
		SessionIdle:     os.Getenv("PILOTAGE_SESSION_IDLE"),
		SessionMax:      os.Getenv("PILOTAGE_SESSION_MAX"),
		TrustedProxies:  os.Getenv("PILOTAGE_TRUSTED_PROXIES"),
		AlertExpiry:     envDays("PILOTAGE_ALERTE_ECHEANCE_JOURS", models.DefaultAlertesExpiryDays),
		AlertSignature:  envDays("PILOTAGE_ALERTE_SIGNATURE_JOURS", models.DefaultAlertesSignatureDays),
		SeuilActivation: envPercent("PILOTAGE_SEUIL_ACTIVATION", models.DefaultUsageThreshold),
		Legal: app.LegalInfo{Hosting: os.Getenv("PILOTAGE_HEBERGEUR"), Contact: os.Getenv("PILOTAGE_CONTACT_ACCESSIBILITE"),
			DPO: os.Getenv("PILOTAGE_DPD")},
		OIDC: app.OIDCConfig{Issuer: strings.TrimSpace(os.Getenv("PILOTAGE_OIDC_ISSUER")),
			ClientID: strings.TrimSpace(os.Getenv("PILOTAGE_OIDC_CLIENT_ID")), ClientSecret: os.Getenv("PILOTAGE_OIDC_CLIENT_SECRET"),
			RedirectURL: strings.TrimSpace(os.Getenv("PILOTAGE_OIDC_REDIRECT_URL")), TrustEmail: os.Getenv("PILOTAGE_OIDC_EMAIL_VERIFIE") == "fournisseur"},
	}
}

// envPercent reads a percentage from 1 to 100, fallback otherwise.
func envPercent(key string, fallback int) int {
	if n, err := strconv.Atoi(os.Getenv(key)); err == nil && n >= 1 && n <= 100 {
		return n
	}
	return fallback
}

func envDays(key string, fallback int) int {
	if n, err := strconv.Atoi(os.Getenv(key)); err == nil && n > 0 && n <= 3650 {
		return n
	}
	return fallback
}

// sessionDuration reads a session limit: "" is the default, anything else must be a
// duration ("45m", "8h") not under least; a wrong value stops the start rather than being
// replaced by the default, which would not be what the operator asked for.
func sessionDuration(name, v string, fallback, least time.Duration, why string) (time.Duration, error) {
	if v = strings.TrimSpace(v); v == "" {
		return fallback, nil
	}
	d, err := time.ParseDuration(v)
	switch {
	case err != nil:
		return 0, fmt.Errorf("%s : « %s » n'est pas une durée (ex. 45m, 8h)", name, v)
	case d < least:
		return 0, fmt.Errorf("%s : « %s » est trop court, minimum %s%s", name, v, frenchDuration(least), why)
	}
	return d, nil
}

// frenchDuration writes a limit the way the settings are written: 1m, 30s.
func frenchDuration(d time.Duration) string {
	if d%time.Minute == 0 {
		return strconv.FormatInt(int64(d/time.Minute), 10) + "m"
	}
	return d.String()
}

// appConfig is the HTTP layer's part of the configuration. A trusted proxy that is not a
// CIDR range stops the start: silently ignoring it would trust nobody, or the wrong host.
// So does a session limit that is not a duration, or an idle limit under a minute: session
// activity is recorded at most once a minute, so a shorter limit would close sessions in use.
func (c config) appConfig() (app.Config, error) {
	idle, err := sessionDuration("PILOTAGE_SESSION_IDLE", c.SessionIdle, 30*time.Minute, models.MinSessionIdle,
		" : l'activité d'une session est enregistrée au plus une fois par minute")
	if err != nil {
		return app.Config{}, err
	}
	absolute, err := sessionDuration("PILOTAGE_SESSION_MAX", c.SessionMax, 12*time.Hour, time.Second, "")
	if err != nil {
		return app.Config{}, err
	}
	var proxies []string
	for _, p := range strings.Split(c.TrustedProxies, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if _, _, err := net.ParseCIDR(p); err != nil {
			return app.Config{}, fmt.Errorf("PILOTAGE_TRUSTED_PROXIES : « %s » n'est pas une plage CIDR (ex. 10.0.0.0/8, ou 10.0.0.5/32 pour une adresse)", p)
		}
		proxies = append(proxies, p)
	}
	if err := checkOIDC(c.OIDC); err != nil {
		return app.Config{}, err
	}
	return app.Config{Addr: c.Addr, BaseURL: c.BaseURL, TrustedProxies: proxies, OIDC: c.OIDC,
		Sessions:          models.SessionLimits{Idle: idle, Absolute: absolute},
		AlertesExpiryDays: c.AlertExpiry, AlertesSignatureDays: c.AlertSignature, Legal: c.Legal,
		SeuilActivation: c.SeuilActivation}, nil
}

func envOr(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}

// databaseURL returns the configured URL, or the embedded SQLite file.
func (c config) databaseURL() string {
	if c.DatabaseURL == "" {
		return defaultSQLite
	}
	return c.DatabaseURL
}

// describeDatabase names the database without its password.
func (c config) describeDatabase() string {
	u := c.databaseURL()
	if models.DialectOf(u) == models.SQLite {
		return "SQLite " + u
	}
	if at := strings.LastIndex(u, "@"); at > 0 {
		if scheme := strings.Index(u, "://"); scheme > 0 {
			return "PostgreSQL " + u[:scheme+3] + "…" + u[at:]
		}
	}
	return "PostgreSQL"
}

func (c config) logger(w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return nil, fmt.Errorf("PILOTAGE_LOG_LEVEL inconnu « %s » (debug, info, warn ou error)", c.LogLevel)
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level})), nil
}

// openMigrated opens the configured database and applies pending migrations.
func (c config) openMigrated(ctx context.Context) (*models.Store, error) {
	store, err := c.openStore(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := store.Migrate(ctx); err != nil {
		store.Close()
		return nil, err
	}
	return store, nil
}

// withMigrated runs fn with the migrated database (see openMigrated), closed afterwards.
func withMigrated(cmd *cobra.Command, cfg config, fn func(ctx context.Context, store *models.Store) error) error {
	ctx := cmd.Context()
	store, err := cfg.openMigrated(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	return fn(ctx, store)
}

// openStore opens the configured database.
func (c config) openStore(ctx context.Context) (*models.Store, error) {
	return models.Open(ctx, c.databaseURL(), models.Options{})
}

const envHelp = `Variables d'environnement (les options de la ligne de commande l'emportent) :
  DATABASE_URL         base de données : vide = SQLite embarqué dans ./data/pilotage.db ;
                       postgres://utilisateur@hôte:5432/base = PostgreSQL ;
                       un chemin de fichier = SQLite à cet endroit
  PILOTAGE_ADDR        adresse d'écoute du serveur (défaut 127.0.0.1:8080)
  PILOTAGE_BASE_URL    adresse publique (https://… active HSTS et les cookies sécurisés)
  PILOTAGE_LOG_LEVEL   niveau de journalisation : debug, info (défaut), warn, error
  PILOTAGE_SESSION_IDLE  durée d'inactivité qui ferme une session (défaut 30m,
                       minimum 1m)
  PILOTAGE_SESSION_MAX   durée maximale d'une session (défaut 12h)
  PILOTAGE_TRUSTED_PROXIES  plages CIDR des mandataires inverses dont l'en-tête
                       X-Forwarded-For est cru (ex. 10.0.0.0/8) ; vide : adresse du pair
  PILOTAGE_ALERTE_ECHEANCE_JOURS   alerte sur les conventions qui expirent dans ce
                       nombre de jours (défaut 90)
  PILOTAGE_ALERTE_SIGNATURE_JOURS  alerte sur les conventions « à la signature »
                       depuis plus de ce nombre de jours (défaut 60)
  PILOTAGE_SEUIL_ACTIVATION  part des élèves (%) sous laquelle une école ouverte depuis
                       trois mois est « à surveiller » dans les usages de l'ENT (défaut 30)
  PILOTAGE_HEBERGEUR   hébergeur, pour les mentions légales (nom, adresse, téléphone)
  PILOTAGE_CONTACT_ACCESSIBILITE  contact pour signaler un défaut d'accessibilité
  PILOTAGE_DPD         contact du délégué à la protection des données (défaut : celui
                       de l'académie, donné par son academie.json)
  PILOTAGE_OIDC_ISSUER  fournisseur OpenID Connect (ProConnect) ; vide : pas de bouton
                       ProConnect, connexion par mot de passe seulement
  PILOTAGE_OIDC_CLIENT_ID, PILOTAGE_OIDC_CLIENT_SECRET  identifiants du client
                       enregistré auprès du fournisseur
  PILOTAGE_OIDC_REDIRECT_URL  adresse de retour enregistrée auprès du fournisseur :
                       <adresse publique>/connexion/proconnect/retour
  PILOTAGE_OIDC_EMAIL_VERIFIE  « fournisseur » : l'adresse transmise par le fournisseur
                       est tenue pour vérifiée même sans email_verified (voir le README)`

func newRootCommand() *cobra.Command {
	cfg := configFromEnv()
	root := &cobra.Command{
		Use:           "pilotage",
		Short:         "Pilotage ENT 1D : suivi du déploiement des ENT dans les écoles du premier degré d'une académie",
		Long:          "Pilotage ENT 1D : suivi du déploiement des ENT dans les écoles du premier degré d'une académie (Créteil par défaut).\n\n" + envHelp,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&cfg.DatabaseURL, "database-url", cfg.DatabaseURL, "base de données (remplace DATABASE_URL)")
	root.PersistentFlags().StringVar(&cfg.LogLevel, "log-level", cfg.LogLevel, "niveau de journalisation (remplace PILOTAGE_LOG_LEVEL)")
	root.AddCommand(serveCommand(&cfg), migrateCommand(&cfg), seedCommand(&cfg), importCommand(&cfg),
		userCommand(&cfg), tokenCommand(&cfg), purgeCommand(&cfg), exportCommand(&cfg),
		backupCommand(&cfg), restoreCommand(&cfg))
	root.SetHelpTemplate(frenchHelp)
	root.SetUsageTemplate(frenchUsage)
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		switch c.Name() {
		case "help":
			c.Short = "Aide sur une commande"
		case "completion":
			c.Hidden = true
		}
	}
	root.PersistentFlags().BoolP("help", "h", false, "affiche l'aide")
	refuseUnknownSubcommands(root)
	return root
}

const frenchHelp = `{{with (or .Long .Short)}}{{. | trimTrailingWhitespaces}}

{{end}}{{if or .Runnable .HasSubCommands}}{{.UsageString}}{{end}}`

const frenchUsage = `Utilisation :{{if and .Runnable (not .HasAvailableSubCommands)}}
  {{.UseLine}}{{end}}{{if .HasAvailableSubCommands}}
  {{.CommandPath}} [commande]{{end}}{{if .HasAvailableSubCommands}}

Commandes :{{range .Commands}}{{if (or .IsAvailableCommand (eq .Name "help"))}}
  {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableLocalFlags}}

Options :
{{.LocalFlags.FlagUsages | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableInheritedFlags}}

Options globales :
{{.InheritedFlags.FlagUsages | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableSubCommands}}

« {{.CommandPath}} [commande] --help » donne l'aide d'une commande.{{end}}
`

// checkOIDC refuses a ProConnect configuration with a part missing or an address that is
// not one: the button would lead nowhere. All unset is fine (passwords only).
func checkOIDC(o app.OIDCConfig) error {
	if !o.Enabled() && o.ClientID == "" && o.ClientSecret == "" && o.RedirectURL == "" {
		return nil
	}
	missing := []string{}
	for _, v := range []struct{ name, value string }{{"PILOTAGE_OIDC_ISSUER", o.Issuer}, {"PILOTAGE_OIDC_CLIENT_ID", o.ClientID},
		{"PILOTAGE_OIDC_CLIENT_SECRET", o.ClientSecret}, {"PILOTAGE_OIDC_REDIRECT_URL", o.RedirectURL}} {
		if v.value == "" {
			missing = append(missing, v.name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("ProConnect à moitié configuré : renseignez aussi %s (ou videz toutes les variables PILOTAGE_OIDC_*)", strings.Join(missing, ", "))
	}
	for _, v := range []struct{ name, value string }{{"PILOTAGE_OIDC_ISSUER", o.Issuer}, {"PILOTAGE_OIDC_REDIRECT_URL", o.RedirectURL}} {
		if u, err := url.Parse(v.value); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return fmt.Errorf("%s : « %s » n'est pas une adresse http(s)://…", v.name, v.value)
		}
	}
	return nil
}
