# Pilotage ENT 1D — tâches de développement (GNU make).
# Les ressources front-end (DSFR, htmx) viennent de npm (package-lock.json)
# et sont copiées dans views/static/vendor/, embarqué par //go:embed static.
# `make run` n'installe que ce qu'il faut pour servir (npm ci --omit=dev) ; les outils de
# test (devDependencies : validateur W3C vnu-jar, axe-core) ne viennent qu'avec `make test`.

SHELL := /bin/bash
.DEFAULT_GOAL := help

GO          ?= go
NPM         ?= npm
BIN         := bin/pilotage
PKG         := ./cmd/pilotage

VENDOR_DIR  := views/static/vendor
VENDOR_STAMP := $(VENDOR_DIR)/.stamp
# Témoins de l'installation npm, rangés dans node_modules/ : chaque `npm ci` vide ce dossier,
# donc une installation sans les outils de test efface le témoin de l'installation complète.
NPM_RUN_STAMP := node_modules/.pilotage-run
NPM_DEV_STAMP := node_modules/.pilotage-dev
DSFR_DIST   := node_modules/@gouvfr/dsfr/dist
DSFR_OUT    := $(VENDOR_DIR)/dsfr
HTMX_DIST   := node_modules/htmx.org/dist
HTMX_OUT    := $(VENDOR_DIR)/htmx

FUZZTIME    ?= 30s
# Adresse d'écoute de `make run` / `make demo` : make run ADDR=127.0.0.1:8081
# (vide : PILOTAGE_ADDR, sinon 127.0.0.1:8080).
ADDR        ?=
SERVE_FLAGS := $(if $(ADDR),--addr $(ADDR))

.PHONY: help vendor vendor-test run demo build test bench lint fuzz clean

help:
	@echo "Pilotage ENT 1D — cibles disponibles :"
	@echo "  make vendor  Installe les dépendances npm d'exécution (npm ci --omit=dev) et copie DSFR et htmx dans $(VENDOR_DIR)/"
	@echo "  make vendor-test  Idem, avec les outils de test (npm ci : vnu-jar, axe-core)"
	@echo "  make run     Lance le serveur (go run $(PKG) serve) ; autre adresse : make run ADDR=127.0.0.1:8081"
	@echo "  make demo    Lance le serveur en mode démonstration (./data/demo.db, comptes fictifs)"
	@echo "  make build   Compile le binaire $(BIN)"
	@echo "  make test    Lance les tests (SQLite ; PostgreSQL si PILOTAGE_TEST_DATABASE_URL est défini ;"
	@echo "               navigateur si Chromium est présent) avec le détecteur de concurrence"
	@echo "  make bench   Lance les bancs d'essai (benchmarks)"
	@echo "  make bench-load  Banc de charge : 32 clients par page, comparés au plancher (même SQL sans intergiciels)"
	@echo "  make lint    Vérifie le formatage (gofmt) et lance go vet"
	@echo "  make fuzz    Lance chaque cible de fuzzing pendant $(FUZZTIME)"
	@echo "  make clean   Supprime bin/, $(VENDOR_DIR)/, node_modules/ et les fichiers de couverture"

# ---------------------------------------------------------------------------
# Ressources front-end : ne refait le travail que si le lockfile a changé.
# Deux installations : d'exécution (npm ci --omit=dev, pour run, demo, build) et complète
# (npm ci, pour test et bench). Après `make test`, `make run` ne réinstalle rien ; après
# `make run`, `make test` installe les outils de test.

vendor: $(VENDOR_STAMP)

# L'installation complète passe d'abord (même avec -j) : elle pose aussi le témoin de
# l'installation d'exécution, que la copie trouve alors à jour.
vendor-test: $(NPM_DEV_STAMP)
	@$(MAKE) --no-print-directory vendor

# Conditions d'utilisation du DSFR : vérifiées avant chaque installation (le paquet
# @gouvfr/dsfr les vérifie aussi, par son script preinstall, qui tourne avec ou sans --omit=dev).
define check_dsfr_license
	@if [ "$${DSFR_ACCEPT_LICENSE:-}" != 1 ] && [ ! -f .dsfr.yml ]; then \
		echo "Le paquet @gouvfr/dsfr refuse de s'installer tant que ses modalités d'utilisation" >&2; \
		echo "n'ont pas été acceptées (https://github.com/GouvernementFR/dsfr/blob/main/doc/legal/cgu.md)." >&2; \
		echo "Ajoutez à la racine un fichier .dsfr.yml contenant « accept-license: <cguVersion> »" >&2; \
		echo "(ce qu'écrit « npm create @gouvfr/dsfr »), ou exportez DSFR_ACCEPT_LICENSE=1." >&2; \
		exit 1; \
	fi
endef

# Installation complète : elle contient aussi celle d'exécution, dont le témoin est posé.
$(NPM_DEV_STAMP): package-lock.json package.json
	$(check_dsfr_license)
	$(NPM) ci --no-audit --no-fund
	touch $(NPM_RUN_STAMP) $@

# Installation d'exécution : inutile si l'installation complète est à jour.
$(NPM_RUN_STAMP): package-lock.json package.json
	$(check_dsfr_license)
	@if [ $(NPM_DEV_STAMP) -nt package-lock.json ] && [ $(NPM_DEV_STAMP) -nt package.json ]; then \
		echo "Dépendances npm déjà installées (avec les outils de test)."; \
	else \
		echo "$(NPM) ci --omit=dev --no-audit --no-fund"; \
		$(NPM) ci --omit=dev --no-audit --no-fund; \
	fi
	touch $@

# La copie ne dépend que du lockfile : DSFR et htmx ne changent qu'avec lui.
$(VENDOR_STAMP): package-lock.json package.json | $(NPM_RUN_STAMP)
	rm -rf $(VENDOR_DIR)
	mkdir -p $(DSFR_OUT)/utility/icons $(HTMX_OUT)
	cp $(DSFR_DIST)/dsfr.min.css $(DSFR_DIST)/dsfr.module.min.js $(DSFR_DIST)/dsfr.nomodule.min.js $(DSFR_OUT)/
	cp -R $(DSFR_DIST)/fonts $(DSFR_DIST)/icons $(DSFR_DIST)/favicon $(DSFR_OUT)/
	cp $(DSFR_DIST)/utility/icons/icons.min.css $(DSFR_OUT)/utility/icons/
	cp $(HTMX_DIST)/htmx.min.js $(HTMX_OUT)/
	touch $@

# ---------------------------------------------------------------------------

run: vendor
	$(GO) run $(PKG) serve $(SERVE_FLAGS)

demo: vendor
	$(GO) run $(PKG) serve --demo --database-url ./data/demo.db $(SERVE_FLAGS)

build: vendor
	$(GO) build -o $(BIN) $(PKG)

# The app and models packages hold most of the tests, and they wait on the databases and
# the browser more than they compute: the app's tests run in four processes side by side and
# the models' in three (by their names: every Test and Fuzz function falls in exactly one;
# the lists' tests, which walk every page, on their own),
# next to the other packages. Together they are `go test -race ./...`; each prints its own
# results, and the target fails if any fails.
TEST_FLAGS := -race -count=1 -timeout 28m

test: vendor-test
	@set -u; pids=""; \
	$(GO) test $(TEST_FLAGS) $$($(GO) list ./... | grep -v '/app$$' | grep -v '/models$$') & pids="$$pids $$!"; \
	$(GO) test $(TEST_FLAGS) -run='^Test[A-Ka-k]' ./models & pids="$$pids $$!"; \
	$(GO) test $(TEST_FLAGS) -run='^TestList' ./models & pids="$$pids $$!"; \
	$(GO) test $(TEST_FLAGS) -run='^(Test[L-Zl-z]|Fuzz)' -skip='^TestList' ./models & pids="$$pids $$!"; \
	$(GO) test $(TEST_FLAGS) -run='^TestBrowser' ./app & pids="$$pids $$!"; \
	$(GO) test $(TEST_FLAGS) -run='^Test[A-Ca-c]' -skip='^TestBrowser' ./app & pids="$$pids $$!"; \
	$(GO) test $(TEST_FLAGS) -run='^Test([Dd]|[E-Le-l])' ./app & pids="$$pids $$!"; \
	$(GO) test $(TEST_FLAGS) -run='^Test[M-Zm-z]' ./app & pids="$$pids $$!"; \
	rc=0; for p in $$pids; do wait $$p || rc=1; done; exit $$rc

bench: vendor-test
	$(GO) test -run '^$$' -bench . -benchmem ./...

# Banc de charge (README, « Banc de charge ») : SQLite, et PostgreSQL quand
# PILOTAGE_TEST_DATABASE_URL est défini ; PILOTAGE_BENCH_LOAD_DURATION (5s par défaut) par
# page, PILOTAGE_BENCH_LOAD_OUT=fichier.md pour garder les tableaux. Aucun temps n'y échoue.
.PHONY: bench-load
bench-load: vendor
	PILOTAGE_BENCH_LOAD=1 $(GO) test -run '^TestLoadBench$$' -count=1 -timeout 60m -v ./app

lint:
	gofmt -l . | tee /dev/stderr | (! read)
	$(GO) vet ./...

fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzReadCSV$$' -fuzztime $(FUZZTIME) ./seeds
	$(GO) test -run '^$$' -fuzz '^FuzzReadEcoles$$' -fuzztime $(FUZZTIME) ./seeds

clean:
	rm -rf bin/ $(VENDOR_DIR)/ node_modules/ tmp/
	rm -f coverage.out coverage.html *.coverprofile
