-- Mail: the SMTP server through which the product sends its messages (one-time password
-- links, test messages), set by the administrator on /admin/messagerie. One row at most
-- (id = 1); without it nothing is sent by mail and links are shown to copy. The password
-- is kept as given, since it must be presented to the server: it is never shown, logged
-- nor written to the audit log (models.MailSettings).

CREATE TABLE mail_settings (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    host          TEXT NOT NULL,
    port          INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
    security      TEXT NOT NULL CHECK (security IN ('aucune', 'starttls', 'tls')),
    username      TEXT NOT NULL DEFAULT '',
    password      TEXT NOT NULL DEFAULT '',
    from_address  TEXT NOT NULL,
    from_name     TEXT NOT NULL DEFAULT '',
    updated_at    {{timestamp}} NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
