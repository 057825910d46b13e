package app_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// The load benchmark (`make bench-load`, README « Banc de charge »): the real server on the
// national synthetic data, a fixed list of pages driven by concurrent clients for a fixed
// time, each interleaved with its floor (loadbench_floor_test.go), and a French table of
// requests per second, p50, p99 and the ratio to the floor. It reports the goals of the
// pages and never fails on a time: only a page or a floor that does not answer is an error.
//
// Every new module's pages join loadTargets.

// Environment of the load benchmark.
const (
	envLoad         = "PILOTAGE_BENCH_LOAD"          // "1" runs it
	envLoadDuration = "PILOTAGE_BENCH_LOAD_DURATION" // time per page (and per floor), "5s" by default
	envLoadOut      = "PILOTAGE_BENCH_LOAD_OUT"      // Markdown file receiving the tables
)

const (
	// loadClients is the number of concurrent clients driving a page or a floor.
	loadClients = 32
	// exportClients drives the exports: 32 clients each building a 47,000-row workbook at
	// once only measure the queue (each answer after half a minute, 2 GiB of heap) on 2
	// cores; 4 keep both cores busy, which is all a ratio to the bare writer needs.
	exportClients = 4
	// loadRounds is the number of times a page and its floor take turns, each for
	// duration/loadRounds, so that a change in the machine's load touches both alike.
	loadRounds = 2
)

// goalKind says which goal a page is held to.
type goalKind int

const (
	goalDashboard goalKind = iota // home and dashboards: p50 ≤ 15 ms, ≥ 0.5× the bare indexed page
	goalList                      // lists, registers, API: p50 ≤ 10 ms, ≥ 0.5× the same-SQL floor
	goalSearch                    // the communes search: p50 ≤ 5 ms, ≥ 0.5× the same-SQL floor
	goalExport                    // exports: at most 1.3× the time of a bare writer of the same rows
)

// loadTarget is one page of the benchmark and its floor.
type loadTarget struct {
	name      string // the floor's name in the floor server
	path      string // the page
	goal      goalKind
	adminOnly bool // a deep page of a scoped register, beyond the last one of a département
	// follow: the page is the one after path, reached as a user reaches it, by its "Page
	// suivante" link (which carries the cursor of path's last row); the floor receives the
	// link's paging (page, apres) in its query.
	follow bool
	floor  func(*models.Store) floorFunc
}

// loadTargets is the fixed list of pages. Page numbers exist in the national data (35,593
// communes, 47,642 écoles, about 30,000 decisions and 1,000 conventions, 50 rows a page).
// Every role reads the whole territory (reference data), but only its own registers. A
// deep page is measured both ways a user reaches it: by its number in the URL (a bookmark,
// "Dernière page") and by "Page suivante" from the page before (follow).
func loadTargets() []loadTarget {
	return append([]loadTarget{
		{name: "accueil", path: "/", goal: goalDashboard, floor: homeFloor},
		{name: "departements", path: "/departements", goal: goalDashboard, floor: departementsFloor},
		{name: "communes", path: "/communes", goal: goalList, floor: communesFloor(models.CommuneFilter{}, 1, false)},
		{name: "communes-page700", path: "/communes?page=700", goal: goalList,
			floor: communesFloor(models.CommuneFilter{}, 700, false)},
		{name: "communes-page700-suivante", path: "/communes?page=699", follow: true, goal: goalList,
			floor: communesFloor(models.CommuneFilter{}, 700, false)},
		{name: "communes-saint", path: "/communes?q=saint", goal: goalSearch,
			floor: communesFloor(models.CommuneFilter{Q: "saint"}, 1, false)},
		{name: "ecoles-public-page50", path: "/ecoles?statut=public&page=50", goal: goalList,
			floor: ecolesFloor(models.EcoleFilter{Statut: "public"}, 50, false)},
		{name: "ecoles-page950", path: "/ecoles?page=950", goal: goalList, floor: ecolesFloor(models.EcoleFilter{}, 950, false)},
		{name: "ecoles-page950-suivante", path: "/ecoles?page=949", follow: true, goal: goalList,
			floor: ecolesFloor(models.EcoleFilter{}, 950, false)},
		{name: "decisions", path: "/decisions", goal: goalList, floor: decisionsFloor(1)},
		{name: "decisions-page600", path: "/decisions?page=600", goal: goalList, adminOnly: true, floor: decisionsFloor(600)},
		{name: "decisions-page600-suivante", path: "/decisions?page=599", follow: true, goal: goalList, adminOnly: true,
			floor: decisionsFloor(600)},
		{name: "conventions", path: "/conventions", goal: goalList, floor: conventionsFloor(1)},
		{name: "conventions-page10", path: "/conventions?page=10", goal: goalList, adminOnly: true, floor: conventionsFloor(10)},
		{name: "financements", path: "/financements", goal: goalList, floor: financementsFloor(1)},
		{name: "couverture", path: "/chartes/couverture", goal: goalDashboard, floor: coverageFloor},
		{name: "alertes", path: "/conventions/alertes", goal: goalDashboard, floor: alertesFloor},
		{name: "api-communes", path: "/api/v1/communes", goal: goalList, floor: communesFloor(models.CommuneFilter{}, 1, true)},
		{name: "api-ecoles-page100", path: "/api/v1/ecoles?page=100", goal: goalList,
			floor: ecolesFloor(models.EcoleFilter{}, 100, true)},
		{name: "ecoles-xlsx", path: "/ecoles.xlsx", goal: goalExport, floor: ecolesXLSXFloor},
		{name: "communes-csv", path: "/communes.csv", goal: goalExport, floor: communesCSVFloor},
		{name: "conventions-xlsx", path: "/conventions.xlsx", goal: goalExport, floor: conventionsXLSXFloor},
	}, append(rolloutTargets(), dashboardTargets()...)...)
}

// loadRole is a signed-in role driving the pages.
type loadRole struct {
	key    string // its name in the floor server's paths
	label  string // its name in the table
	admin  bool
	cookie string // Cookie header of its session
}

func TestLoadBench(t *testing.T) {
	if os.Getenv(envLoad) != "1" {
		t.Skipf("banc de charge : lancez-le avec %s=1 (make bench-load)", envLoad)
	}
	duration := loadDuration(t)
	var out strings.Builder
	fmt.Fprintf(&out, "Banc de charge du %s (%s) : chaque page %s sous charge avec %d clients simultanés (%d pour les exports), "+
		"son plancher autant, en %d tours alternés, puis la moitié de ce temps avec un seul client.\n\n",
		time.Now().Format("02/01/2006"), machine(), duration, loadClients, exportClients, loadRounds)
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			table := runLoadBench(t, e, duration)
			fmt.Print("\n" + table)
			out.WriteString(table)
		})
	}
	if path := os.Getenv(envLoadOut); path != "" {
		if err := os.WriteFile(path, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("tableaux écrits dans %s", path)
	}
}

// loadDuration reads PILOTAGE_BENCH_LOAD_DURATION: a Go duration ("3s", "1m") or seconds.
func loadDuration(t *testing.T) time.Duration {
	v := os.Getenv(envLoadDuration)
	if v == "" {
		return 5 * time.Second
	}
	if n, err := strconv.Atoi(v); err == nil && n > 0 {
		return time.Duration(n) * time.Second
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		t.Fatalf("%s=%q : durée attendue, par exemple 5s", envLoadDuration, v)
	}
	return d
}

// runLoadBench builds the national data on the engine, starts the real server and the
// floors, drives every page as each role, and returns the engine's Markdown table.
func runLoadBench(t *testing.T, e dbtest.Engine, duration time.Duration) string {
	store := openNational(t, e)
	roles, scopes := loadRoles(t, store)
	targets := loadTargets()
	pages := httptest.NewServer(newAnonymousServer(t, store, app.Config{}))
	t.Cleanup(pages.Close)
	floors := httptest.NewServer(newFloorServer(store, scopes, targets))
	t.Cleanup(floors.Close)
	b := &loadBench{t: t, client: loadClient(), pages: pages.URL, floors: floors.URL, duration: duration}
	t.Cleanup(b.client.CloseIdleConnections)
	var rows []loadRow
	for _, role := range roles {
		for _, tg := range targets {
			if !tg.adminOnly || role.admin {
				rows = append(rows, b.measure(tg, role))
			}
		}
	}
	return loadTable(engineLabel(e.Name), rows)
}

// loadRoles signs in an administrator and the IA-DASEN of a synthetic département
// (sessions made in the store), and returns the roles and their scopes for the floors.
func loadRoles(t *testing.T, store *models.Store) ([]loadRole, map[string]models.Scope) {
	roles := []loadRole{
		{key: "admin", label: "administrateur", admin: true},
		{key: "ia", label: "IA-DASEN 31"},
	}
	inputs := []models.UserInput{
		{Email: "admin.charge@ac-creteil.fr", Nom: "Administrateur Charge", Role: models.RoleAdmin},
		{Email: "ia31.charge@ac-creteil.fr", Nom: "IA-DASEN Charge", Role: models.RoleIA, Departement: "31"},
	}
	scopes := map[string]models.Scope{}
	for i, in := range inputs {
		roles[i].cookie = signIn(t, store, in)
		u, err := store.FindUserByEmail(context.Background(), in.Email)
		if err != nil {
			t.Fatal(err)
		}
		if scopes[roles[i].key], err = store.UserScope(context.Background(), u); err != nil {
			t.Fatal(err)
		}
	}
	return roles, scopes
}

// measure drives a page as a role: under load, taking turns with its floor (and the bare
// indexed page for the home page and the dashboards), then with one client. A page that
// does not answer 200 is reported and not measured.
func (b *loadBench) measure(tg loadTarget, role loadRole) loadRow {
	row := loadRow{target: tg, role: role.label}
	clients := loadClients
	if tg.goal == goalExport {
		clients = exportClients
	}
	page, floorQuery := tg.path, ""
	if tg.follow {
		page = b.nextLink(tg.path, role)
		row.target.path, floorQuery = shortCursor(page), page[strings.Index(page, "?"):]
	}
	ends := []*loadEndpoint{
		{url: b.pages + page, cookie: role.cookie, stats: &row.page},
		{url: b.floors + "/" + role.key + "/" + tg.name + floorQuery, stats: &row.floor},
	}
	if tg.goal == goalDashboard {
		row.indexed = &loadStats{}
		ends = append(ends, &loadEndpoint{url: b.floors + "/" + role.key + "/" + indexedFloor, stats: row.indexed})
	}
	if row.status = b.probe(ends[0]); row.status != http.StatusOK {
		b.t.Logf("%s (%s) : statut %d, page non mesurée", tg.path, role.label, row.status)
		return row
	}
	for _, end := range ends[1:] {
		if code := b.probe(end); code != http.StatusOK {
			b.t.Errorf("plancher %s (%s) : statut %d", end.url, role.label, code)
		}
	}
	single := &loadEndpoint{url: ends[0].url, cookie: role.cookie, stats: &row.single}
	turn := b.duration / loadRounds
	for range loadRounds {
		for _, end := range ends {
			b.attack(end, clients, turn)
		}
		b.attack(single, 1, turn/2)
	}
	for _, s := range []*loadStats{&row.page, &row.single, &row.floor, row.indexed} {
		if s != nil {
			s.metrics.Close()
		}
	}
	b.t.Logf("%s (%s) : %s req/s, p50 %s (%s à 1 client), plancher %s req/s", row.target.path, role.label,
		rate(row.page.rate()), latency(row.page.metrics.Latencies.P50), latency(row.single.metrics.Latencies.P50),
		rate(row.floor.rate()))
	return row
}

// nextLink returns the "Page suivante" link of the page at path, as the role sees it.
func (b *loadBench) nextLink(path string, role loadRole) string {
	req, err := http.NewRequest(http.MethodGet, b.pages+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Cookie", role.cookie)
	res, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s : %v", path, err)
	}
	defer res.Body.Close()
	d, err := goquery.NewDocumentFromReader(res.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	href, ok := d.Find("a.fr-pagination__link--next").Attr("href")
	if res.StatusCode != http.StatusOK || !ok || !strings.HasPrefix(href, "/") || !strings.Contains(href, "?") {
		b.t.Fatalf("%s (%s) : statut %d, pas de lien vers la page suivante", path, role.label, res.StatusCode)
	}
	return href
}

// shortCursor is a followed page's URL as the table shows it: its cursor elided.
func shortCursor(url string) string {
	for _, param := range []string{"apres=", "avant="} {
		if i := strings.Index(url, param); i >= 0 {
			end := strings.IndexByte(url[i:], '&')
			if end < 0 {
				end = len(url) - i
			}
			url = url[:i] + param + "…" + url[i+end:]
		}
	}
	return url
}

// loadClient is the HTTP client of every attack: keep-alive connections reused from one
// turn to the next, redirects not followed (a redirect to the login page shows as a 303).
func loadClient() *http.Client {
	return &http.Client{
		Timeout:       10 * time.Minute,
		Transport:     &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 128, DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// loadBench drives the attacks on the page server and the floor server.
type loadBench struct {
	t             *testing.T
	client        *http.Client
	pages, floors string        // the servers' base URLs
	duration      time.Duration // the time of a page under load, and of its floor
}

// loadEndpoint is a page or a floor and what was measured on it.
type loadEndpoint struct {
	url    string
	cookie string
	stats  *loadStats
}

// loadStats adds up the turns of one endpoint: every latency, the statuses, and the time
// spent attacking it (its requests per second are over that time only).
type loadStats struct {
	metrics  vegeta.Metrics
	requests int
	elapsed  time.Duration
	codes    map[uint16]int
}

func (s *loadStats) rate() float64 {
	if s.elapsed <= 0 {
		return 0
	}
	return float64(s.requests) / s.elapsed.Seconds()
}

// probe sends one request (which also warms the endpoint up) and returns its status.
func (b *loadBench) probe(end *loadEndpoint) int {
	req, err := http.NewRequest(http.MethodGet, end.url, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	if end.cookie != "" {
		req.Header.Set("Cookie", end.cookie)
	}
	res, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s : %v", end.url, err)
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, res.Body)
	return res.StatusCode
}

// attack drives the endpoint with clients concurrent clients, each sending its next
// request as soon as the previous one is answered, for du (answers in flight then are
// waited for and counted).
func (b *loadBench) attack(end *loadEndpoint, clients int, du time.Duration) {
	header := http.Header{}
	if end.cookie != "" {
		header.Set("Cookie", end.cookie)
	}
	attacker := vegeta.NewAttacker(vegeta.Client(b.client), vegeta.Workers(uint64(clients)),
		vegeta.MaxWorkers(uint64(clients)), vegeta.MaxBody(0))
	targeter := vegeta.NewStaticTargeter(vegeta.Target{Method: http.MethodGet, URL: end.url, Header: header})
	s := end.stats
	if s.codes == nil {
		s.codes = map[uint16]int{}
	}
	start := time.Now()
	for res := range attacker.Attack(targeter, vegeta.ConstantPacer{}, du, "") {
		s.metrics.Add(res)
		s.requests++
		s.codes[res.Code]++
	}
	s.elapsed += time.Since(start)
}
