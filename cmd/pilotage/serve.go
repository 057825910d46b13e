package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/ac-creteil/pilotage/views"
	"github.com/spf13/cobra"
)

func serveCommand(cfg *config) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Lance le serveur web (migre la base et charge le référentiel si elle est vide)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return serveTo(cmd.Context(), *cfg, cmd.ErrOrStderr())
		},
	}
	cmd.Flags().StringVar(&cfg.Addr, "addr", cfg.Addr, "adresse d'écoute (remplace PILOTAGE_ADDR)")
	cmd.Flags().StringVar(&cfg.BaseURL, "base-url", cfg.BaseURL, "adresse publique (remplace PILOTAGE_BASE_URL)")
	cmd.Flags().BoolVar(&cfg.Demo, "demo", false, "démonstration seulement : un compte par rôle, mot de passe public affiché sur la page de connexion")
	return cmd
}

// serve runs the server, writing its messages to the standard error.
func serve(ctx context.Context, cfg config) error { return serveTo(ctx, cfg, os.Stderr) }

// serveTo runs the server; w receives the messages meant for the person who started it
// (installation link, "prêt"). The address is taken before anything is announced or the
// database touched: a busy port stops the start with a message saying how to choose another.
func serveTo(ctx context.Context, cfg config, w io.Writer) error {
	log, err := cfg.logger(os.Stderr)
	if err != nil {
		return err
	}
	ac, err := cfg.appConfig() // a wrong setting stops the start before the database is touched
	if err != nil {
		return err
	}
	l, err := listen(cfg.Addr)
	if err != nil {
		return err
	}
	defer l.Close() // on an early return; RunListener closes it otherwise
	if _, port, _ := net.SplitHostPort(cfg.Addr); port == "0" {
		cfg.Addr = l.Addr().String() // the port the system chose, for the links and messages
		ac.Addr = cfg.Addr
	}
	v, err := views.New()
	if err != nil {
		return err
	}
	store, err := cfg.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := prepare(ctx, store, log); err != nil {
		return err
	}
	if cfg.Demo {
		if err := startDemo(ctx, store, &ac, log, w); err != nil {
			return err
		}
	} else {
		if err := closeDemo(ctx, store, log); err != nil {
			return err
		}
		if err := announceInstallation(ctx, store, ac, w); err != nil {
			return err
		}
	}
	startConventionExpiry(ctx, store, log) // conventions past their expiry recorded échue, now and daily
	srv := app.New(ac, store, v, log)
	log.Info("serveur démarré", slog.String("base", cfg.describeDatabase()), slog.String("adresse", cfg.Addr))
	fmt.Fprintf(w, "\nPilotage ENT 1D est prêt : ouvrez %s dans votre navigateur (Ctrl+C pour arrêter).\n\n", browseURL(cfg))
	if err := srv.RunListener(ctx, l); err != nil {
		return fmt.Errorf("serveur : %w", err)
	}
	log.Info("serveur arrêté proprement")
	return nil
}

// listen takes the address to serve on. A port already in use is the usual failure (a
// server already running, another program): the error says how to choose another one.
func listen(addr string) (net.Listener, error) {
	l, err := net.Listen("tcp", addr)
	if err == nil {
		return l, nil
	}
	other := nextAddr(addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		_, port, _ := net.SplitHostPort(addr)
		return nil, fmt.Errorf("le port %s est déjà utilisé (un autre « pilotage serve » ou un autre programme) : "+
			"lancez `pilotage serve --addr %s` ou `PILOTAGE_ADDR=%s pilotage serve` (avec make : `make run ADDR=%s`)",
			port, other, other, other)
	}
	return nil, fmt.Errorf("impossible d'écouter sur %s (%v) : choisissez une autre adresse avec --addr ou PILOTAGE_ADDR, "+
		"par exemple `pilotage serve --addr %s`", addr, err, other)
}

// nextAddr suggests another address: the same host, the next port (127.0.0.1:8081 for a
// busy 127.0.0.1:8080).
func nextAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "127.0.0.1:8081"
	}
	n, err := strconv.Atoi(port)
	if err != nil || n <= 0 || n >= 65535 {
		n = 8080
	}
	return net.JoinHostPort(host, strconv.Itoa(n+1))
}

// prepare applies pending migrations and loads the reference data into an empty database.
func prepare(ctx context.Context, store *models.Store, log *slog.Logger) error {
	applied, err := store.Migrate(ctx)
	if err != nil {
		return err
	}
	for _, m := range applied {
		log.Info("migration appliquée", slog.String("migration", m.Name))
	}
	empty, err := store.IsEmpty(ctx)
	if err != nil {
		return err
	}
	if !empty {
		return nil
	}
	log.Info("base vide : chargement du référentiel de l'académie")
	steps, err := seeds.LoadReference(ctx, store)
	if err != nil {
		return err
	}
	for _, st := range steps {
		log.Info("référentiel chargé", slog.String("donnees", st.Name), slog.Int("crees", st.Counts.Created))
	}
	return nil
}

// announceInstallation prints, while no administrator exists, a one-time link (valid one
// hour) that creates the first one. The link is built on the public address (app.PublicURL):
// without PILOTAGE_BASE_URL, on a server that does not listen on a loopback address only,
// no link is made and the message says how to proceed.
func announceInstallation(ctx context.Context, store *models.Store, ac app.Config, w io.Writer) error {
	n, err := store.CountAdmins(ctx)
	if err != nil || n > 0 {
		return err
	}
	base, ok := app.PublicURL(ac)
	if !ok {
		fmt.Fprintf(w, "\nAucun administrateur. Configurez PILOTAGE_BASE_URL (ou --base-url) pour recevoir le lien d'installation "+
			"au prochain démarrage : le serveur écoute sur %s, pas seulement sur cet ordinateur, et ne peut pas deviner son adresse. "+
			"Ou créez le premier compte avec « pilotage user create --role admin ».\n", ac.Addr)
		return nil
	}
	token, err := store.CreateInstallationLink(ctx, time.Hour)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nAucun administrateur : créez le premier compte avec ce lien à usage unique, valable une heure :\n  %s/installation/%s\n", base, token)
	return nil
}

// browseURL is the address to open in a browser.
func browseURL(cfg config) string {
	if cfg.BaseURL != "" {
		return strings.TrimRight(cfg.BaseURL, "/")
	}
	host, port := cfg.Addr, ""
	for i := len(host) - 1; i >= 0; i-- {
		if host[i] == ':' {
			host, port = host[:i], host[i+1:]
			break
		}
	}
	if host == "" || host == "127.0.0.1" || host == "0.0.0.0" || host == "[::]" || host == "[::1]" {
		host = "localhost"
	}
	return "http://" + host + ":" + port
}
