package app

import (
	"net"
	"strings"
)

// Links given to be opened elsewhere (one-time password links, calendar feeds, the pages a
// calendar's events point to) are built on the configured public address only. The
// request's Host and X-Forwarded-Proto are chosen by whoever sends it: a link built on them
// could send its secret token to another site ("Host: evil.example").

// msgNoBaseURL refuses a link when the public address is unknown.
const msgNoBaseURL = "Configurez PILOTAGE_BASE_URL pour créer des liens : le serveur n'écoute pas seulement sur cet ordinateur " +
	"et ne peut pas deviner l'adresse sous laquelle on le joint. Aucun lien n'a été créé."

// PublicURL is the address links are built on, without a trailing slash: the configured
// BaseURL (PILOTAGE_BASE_URL); without one, for a server listening on a loopback address
// (local use), http://<listen address>. ok is false otherwise: no link can be made.
func PublicURL(cfg Config) (base string, ok bool) {
	if b := strings.TrimRight(strings.TrimSpace(cfg.BaseURL), "/"); b != "" {
		return b, true
	}
	host, _, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return "", false
	}
	if ip := net.ParseIP(host); host == "localhost" || ip != nil && ip.IsLoopback() {
		return "http://" + cfg.Addr, true
	}
	return "", false
}

// link is the absolute address of path (which starts with "/") on the public address, ""
// when there is none: a calendar event then goes without its page's address.
func (s *Server) link(path string) string {
	base, ok := PublicURL(s.cfg)
	if !ok {
		return ""
	}
	return base + path
}
