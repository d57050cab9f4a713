package identity

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters from the OWASP password storage recommendation (19 MiB, t=2, p=1).
// They are written into each hash, so raising them later keeps old hashes valid.
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword returns an encoded argon2id hash.
func HashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime,
		argonThreads, b64(salt), b64(key)), nil
}

func b64(b []byte) string { return base64.RawStdEncoding.EncodeToString(b) }

// unknownUserHash is the hash of a random password nobody kept, made with the parameters
// above (TestUnknownUserHashHasTodaysParameters). A constant, because hashing it at start-up
// cost 100 ms before anything else could run.
const unknownUserHash = "$argon2id$v=19$m=19456,t=2,p=1$F0kNV+glGFVAV4S6j4jvng$3PdVomVaO8S+jihIXd50wE61R4/IJZmtgs0oJdIeEjs"

// CheckUnknownUser does the work of CheckPassword for a name that has no account, so the time a
// sign-in takes does not tell which names exist.
func CheckUnknownUser(password string) { CheckPassword(unknownUserHash, password) }

// CheckPassword reports whether password matches the encoded hash.
func CheckPassword(encoded, password string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var memory, iterations uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &iterations, &threads); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, iterations, memory, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// ValidatePassword is the password policy: long enough to resist guessing. The demo's
// password "demo" is set directly by the demo loader, never through this check.
func ValidatePassword(password string) error {
	if len([]rune(password)) < 8 {
		return fmt.Errorf("password shorter than 8 characters")
	}
	return nil
}

// NewToken returns a random bearer token and the hash under which it is stored. Only the
// hash is kept, so a database leak does not leak sessions or API tokens.
func NewToken(prefix string) (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	token = prefix + base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token), nil
}

// HashToken is the stored form of a bearer token.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
