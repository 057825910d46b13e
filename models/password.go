package models

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Password rules (CNIL 2022-100): a length, no composition rule, any character.
const (
	MinPasswordLength = 12
	MaxPasswordBytes  = 1024 // a bound on the work of hashing, far above any passphrase
)

// argon2id parameters (OWASP: 19 MiB, 2 passes, 1 lane).
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// CheckPassword returns a French message when password is not acceptable, "" when it is.
func CheckPassword(password string) string {
	switch {
	case !utf8.ValidString(password):
		return "Le mot de passe contient des caractères invalides."
	case utf8.RuneCountInString(password) < MinPasswordLength:
		return fmt.Sprintf("Le mot de passe doit compter au moins %d caractères ; une phrase de passe est bienvenue.", MinPasswordLength)
	case len(password) > MaxPasswordBytes:
		return fmt.Sprintf("Le mot de passe ne doit pas dépasser %d octets.", MaxPasswordBytes)
	}
	return ""
}

// hashPassword returns the PHC string of an argon2id hash with a random salt.
func hashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// dummyPassword is the hash Authenticate verifies when the account does not exist or has
// no password, so that an unknown email costs exactly what a wrong password costs. It is
// made once per Store by hashPassword itself, never written down: its parameters are always
// those of the real hashes, even after they change.
type dummyPassword struct {
	once sync.Once
	hash string
	err  error
}

// dummyHash returns the Store's dummy hash, made on first use from a random secret.
func (s *Store) dummyHash() (string, error) {
	s.dummy.once.Do(func() {
		secret, _, err := newSecret("")
		if err == nil {
			s.dummy.hash, err = hashPassword(secret)
		}
		s.dummy.err = err
	})
	return s.dummy.hash, s.dummy.err
}

// verifyPassword reports whether password matches the PHC string encoded.
func verifyPassword(encoded, password string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// newSecret returns a random token for a cookie, a link or an API token, and the hash
// stored in its place: the database never holds a usable secret.
func newSecret(prefix string) (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	token = prefix + base64.RawURLEncoding.EncodeToString(b)
	return token, secretHash(token), nil
}

// secretHash is the stored form of a token.
func secretHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
