-- Accounts, their territorial scope, server-side sessions, one-time links, API tokens,
-- login history and the append-only audit log.

CREATE TABLE users (
    id                    {{id}},
    email                 TEXT NOT NULL,
    nom                   TEXT NOT NULL,
    role                  TEXT NOT NULL CHECK (role IN ('admin', 'pilote_academique', 'ia_dasen', 'ien', 'amif', 'referent_commune', 'lecteur')),
    departement_code      TEXT REFERENCES departements (code),
    code_circonscription  TEXT REFERENCES circonscriptions (code),
    epci_siren            TEXT REFERENCES epci (siren),
    password_hash         TEXT NOT NULL DEFAULT '',
    active                BOOLEAN NOT NULL DEFAULT TRUE,
    last_login_at         {{timestamp}},
    created_at            {{timestamp}} NOT NULL,
    updated_at            {{timestamp}} NOT NULL,
    archived_at           {{timestamp}},
    version               INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX users_email_live ON users (email) WHERE archived_at IS NULL;

CREATE TABLE user_communes (
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_insee  TEXT NOT NULL REFERENCES communes (code_insee),
    PRIMARY KEY (user_id, code_insee)
);

CREATE TABLE sessions (
    id            TEXT PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at    {{timestamp}} NOT NULL,
    last_seen_at  {{timestamp}} NOT NULL,
    ip            TEXT NOT NULL DEFAULT '',
    user_agent    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE login_links (
    id          TEXT PRIMARY KEY,
    user_id     BIGINT REFERENCES users (id) ON DELETE CASCADE,
    purpose     TEXT NOT NULL CHECK (purpose IN ('installation', 'mot_de_passe')),
    created_by  BIGINT REFERENCES users (id),
    created_at  {{timestamp}} NOT NULL,
    expires_at  {{timestamp}} NOT NULL,
    used_at     {{timestamp}}
);

CREATE TABLE api_tokens (
    id            {{id}},
    user_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    nom           TEXT NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    created_at    {{timestamp}} NOT NULL,
    last_used_at  {{timestamp}},
    revoked_at    {{timestamp}}
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE logins (
    id       {{id}},
    user_id  BIGINT REFERENCES users (id) ON DELETE CASCADE,
    email    TEXT NOT NULL,
    at       {{timestamp}} NOT NULL,
    ip       TEXT NOT NULL DEFAULT '',
    success  BOOLEAN NOT NULL
);
CREATE INDEX logins_at ON logins (at);
CREATE INDEX logins_email ON logins (email, at);

CREATE TABLE audit_events (
    id          {{id}},
    at          {{timestamp}} NOT NULL,
    actor_id    BIGINT,
    actor       TEXT NOT NULL,
    role        TEXT NOT NULL,
    scope       TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    changes     TEXT NOT NULL DEFAULT '{}',
    request_id  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_entity ON audit_events (entity, entity_id, at);
CREATE INDEX audit_events_at ON audit_events (at);
CREATE INDEX audit_events_actor ON audit_events (actor_id, at);
