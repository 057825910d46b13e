-- Calls for tender (issue 16): a market (marché) of a commune, an EPCI or a groupement de
-- commandes, its member communes (the coordinator and each member's délibération date), its
-- lots, the bids received per lot, the award of each lot (vendor, ENT solution, amount in
-- integer cents, duration, start, renewals) and the dated, attributed history of its status.

-- A market lies in its département and its member communes (registry, models/policy.go).
CREATE TABLE marches (
    id                {{id}},
    reference         TEXT NOT NULL DEFAULT '',
    objet             TEXT NOT NULL,
    departement_code  TEXT NOT NULL REFERENCES departements (code),
    acheteur          TEXT NOT NULL CHECK (acheteur IN ('commune', 'epci', 'groupement')),
    epci_siren        TEXT REFERENCES epci (siren),
    procedure_marche  TEXT NOT NULL CHECK (procedure_marche IN ('ao_ouvert', 'mapa', 'negocie', 'accord_cadre', 'ugap', 'centrale')),
    montant_estime    BIGINT CHECK (montant_estime IS NULL OR montant_estime >= 0),
    date_publication  DATE,
    date_limite       DATE,
    statut            TEXT NOT NULL DEFAULT 'en_preparation'
                      CHECK (statut IN ('en_preparation', 'publie', 'en_analyse', 'attribue', 'infructueux', 'sans_suite')),
    statut_date       DATE,
    notes             TEXT NOT NULL DEFAULT '',
    created_at        {{timestamp}} NOT NULL,
    updated_at        {{timestamp}} NOT NULL,
    archived_at       {{timestamp}},
    version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX marches_departement ON marches (departement_code, statut, id);
CREATE INDEX marches_limite ON marches (date_limite, id);

-- The communes of a market: the buyer commune, the EPCI's communes covered, or the
-- coordinator and the members of a groupement, each with its délibération.
CREATE TABLE marche_communes (
    marche_id          BIGINT NOT NULL REFERENCES marches (id) ON DELETE CASCADE,
    code_insee         TEXT NOT NULL REFERENCES communes (code_insee),
    coordinateur       BOOLEAN NOT NULL DEFAULT FALSE,
    deliberation_date  DATE,
    deliberation_ref   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (marche_id, code_insee)
);
CREATE INDEX marche_communes_commune ON marche_communes (code_insee, marche_id);

-- A lot and, once awarded, its award.
CREATE TABLE marche_lots (
    id                {{id}},
    marche_id         BIGINT NOT NULL REFERENCES marches (id) ON DELETE CASCADE,
    numero            INTEGER NOT NULL CHECK (numero BETWEEN 1 AND 99),
    intitule          TEXT NOT NULL,
    montant_estime    BIGINT CHECK (montant_estime IS NULL OR montant_estime >= 0),
    titulaire_id      BIGINT REFERENCES organisations (id),
    solution_id       BIGINT REFERENCES solutions_ent (id),
    montant_attribue  BIGINT CHECK (montant_attribue IS NULL OR montant_attribue >= 0),
    duree_mois        INTEGER CHECK (duree_mois IS NULL OR duree_mois BETWEEN 1 AND 240),
    date_debut        DATE,
    reconductions     INTEGER NOT NULL DEFAULT 0 CHECK (reconductions BETWEEN 0 AND 10),
    date_attribution  DATE,
    UNIQUE (marche_id, numero)
);
CREATE INDEX marche_lots_solution ON marche_lots (solution_id);
CREATE INDEX marche_lots_titulaire ON marche_lots (titulaire_id);

-- A bid received for a lot.
CREATE TABLE marche_offres (
    id                  {{id}},
    lot_id              BIGINT NOT NULL REFERENCES marche_lots (id) ON DELETE CASCADE,
    soumissionnaire_id  BIGINT REFERENCES organisations (id),
    soumissionnaire     TEXT NOT NULL,
    solution_id         BIGINT REFERENCES solutions_ent (id),
    montant             BIGINT NOT NULL CHECK (montant >= 0),
    date_reception      DATE,
    created_at          {{timestamp}} NOT NULL
);
CREATE INDEX marche_offres_lot ON marche_offres (lot_id, id);

-- The history of a market's status: each transition, its date and who made it.
CREATE TABLE marche_transitions (
    id          {{id}},
    marche_id   BIGINT NOT NULL REFERENCES marches (id) ON DELETE CASCADE,
    de          TEXT NOT NULL,
    vers        TEXT NOT NULL,
    date_effet  DATE NOT NULL,
    par         TEXT NOT NULL,
    created_at  {{timestamp}} NOT NULL
);
CREATE INDEX marche_transitions_marche ON marche_transitions (marche_id, id);
