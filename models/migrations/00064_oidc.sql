-- Sign-in with ProConnect (OpenID Connect, issue 17). An account is linked to one identity
-- of the provider (its `sub`) at its first sign-in, by the verified email an administrator
-- gave it; never two accounts for one identity. The sign-ins under way keep their state,
-- nonce and PKCE verifier here, server-side, under the hash of a random cookie of the
-- browser that started them (single use, ten minutes). A session opened by ProConnect keeps
-- its ID token, to end the provider's session too at sign-out (id_token_hint). The
-- administrator may require ProConnect for every account but the administrators (one row
-- at most, id = 1; without it passwords are accepted).

ALTER TABLE users ADD COLUMN oidc_sub TEXT;
CREATE UNIQUE INDEX users_oidc_sub ON users (oidc_sub) WHERE oidc_sub IS NOT NULL;

ALTER TABLE sessions ADD COLUMN oidc_id_token TEXT;

CREATE TABLE oidc_requests (
    id          TEXT PRIMARY KEY,
    state       TEXT NOT NULL,
    nonce       TEXT NOT NULL,
    verifier    TEXT NOT NULL,
    next        TEXT NOT NULL DEFAULT '/',
    created_at  {{timestamp}} NOT NULL
);
CREATE INDEX oidc_requests_created_at ON oidc_requests (created_at);

CREATE TABLE oidc_settings (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    required    BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at  {{timestamp}} NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);
