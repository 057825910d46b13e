# Pilotage ENT 1D — tâches de développement (GNU make).
# Les ressources front-end (DSFR, htmx) viennent de npm (package-lock.json)
# et sont copiées dans views/static/vendor/, embarqué par //go:embed static.

SHELL := /bin/bash
.DEFAULT_GOAL := help

GO          ?= go
NPM         ?= npm
BIN         := bin/pilotage
PKG         := ./cmd/pilotage

VENDOR_DIR  := views/static/vendor
VENDOR_STAMP := $(VENDOR_DIR)/.stamp
DSFR_DIST   := node_modules/@gouvfr/dsfr/dist
DSFR_OUT    := $(VENDOR_DIR)/dsfr
HTMX_DIST   := node_modules/htmx.org/dist
HTMX_OUT    := $(VENDOR_DIR)/htmx

FUZZTIME    ?= 30s

.PHONY: help vendor run demo build test bench lint fuzz clean

help:
	@echo "Pilotage ENT 1D — cibles disponibles :"
	@echo "  make vendor  Installe les dépendances npm (npm ci) et copie DSFR et htmx dans $(VENDOR_DIR)/"
	@echo "  make run     Lance le serveur (go run $(PKG) serve)"
	@echo "  make demo    Lance le serveur en mode démonstration (./data/demo.db, comptes fictifs)"
	@echo "  make build   Compile le binaire $(BIN)"
	@echo "  make test    Lance les tests (SQLite ; PostgreSQL si PILOTAGE_TEST_DATABASE_URL est défini ;"
	@echo "               navigateur si Chromium est présent) avec le détecteur de concurrence"
	@echo "  make bench   Lance les bancs d'essai (benchmarks)"
	@echo "  make lint    Vérifie le formatage (gofmt) et lance go vet"
	@echo "  make fuzz    Lance chaque cible de fuzzing pendant $(FUZZTIME)"
	@echo "  make clean   Supprime bin/, $(VENDOR_DIR)/, node_modules/ et les fichiers de couverture"

# ---------------------------------------------------------------------------
# Ressources front-end : ne refait le travail que si le lockfile a changé.

vendor: $(VENDOR_STAMP)

$(VENDOR_STAMP): package-lock.json package.json
	@if [ "$${DSFR_ACCEPT_LICENSE:-}" != 1 ] && [ ! -f .dsfr.yml ]; then \
		echo "Le paquet @gouvfr/dsfr refuse de s'installer tant que ses modalités d'utilisation" >&2; \
		echo "n'ont pas été acceptées (https://github.com/GouvernementFR/dsfr/blob/main/doc/legal/cgu.md)." >&2; \
		echo "Ajoutez à la racine un fichier .dsfr.yml contenant « accept-license: <cguVersion> »" >&2; \
		echo "(ce qu'écrit « npm create @gouvfr/dsfr »), ou exportez DSFR_ACCEPT_LICENSE=1." >&2; \
		exit 1; \
	fi
	$(NPM) ci --no-audit --no-fund
	rm -rf $(VENDOR_DIR)
	mkdir -p $(DSFR_OUT)/utility/icons $(HTMX_OUT)
	cp $(DSFR_DIST)/dsfr.min.css $(DSFR_DIST)/dsfr.module.min.js $(DSFR_DIST)/dsfr.nomodule.min.js $(DSFR_OUT)/
	cp -R $(DSFR_DIST)/fonts $(DSFR_DIST)/icons $(DSFR_DIST)/favicon $(DSFR_OUT)/
	cp $(DSFR_DIST)/utility/icons/icons.min.css $(DSFR_OUT)/utility/icons/
	cp $(HTMX_DIST)/htmx.min.js $(HTMX_OUT)/
	touch $@

# ---------------------------------------------------------------------------

run: vendor
	$(GO) run $(PKG) serve

demo: vendor
	$(GO) run $(PKG) serve --demo --database-url ./data/demo.db

build: vendor
	$(GO) build -o $(BIN) $(PKG)

test: vendor
	$(GO) test -race -count=1 -timeout 25m ./...

bench: vendor
	$(GO) test -run '^$$' -bench . -benchmem ./...

lint:
	gofmt -l . | tee /dev/stderr | (! read)
	$(GO) vet ./...

fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzReadCSV$$' -fuzztime $(FUZZTIME) ./seeds
	$(GO) test -run '^$$' -fuzz '^FuzzReadEcoles$$' -fuzztime $(FUZZTIME) ./seeds

clean:
	rm -rf bin/ $(VENDOR_DIR)/ node_modules/ tmp/
	rm -f coverage.out coverage.html *.coverprofile
