-- Personal calendar feeds: one secret URL per account (/agenda/<token>.ics) listing the
-- meetings of the account's scope and the due dates of its own actions. Only a SHA-256 of
-- the token is stored; renewing replaces it, revoking deletes the row.

CREATE TABLE user_calendars (
    user_id     BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL,
    created_at  {{timestamp}} NOT NULL
);
CREATE UNIQUE INDEX user_calendars_token ON user_calendars (token_hash);
