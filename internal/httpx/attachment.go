package httpx

import (
	"fmt"
	"net/http"
	"strings"
)

// Attachment marks the response as a download named name. The name is sent percent-encoded
// (RFC 6266 filename*, RFC 5987 attr-chars), so a quote, semicolon or line break in it (a
// contract number, say) cannot end the header value early; an ASCII fallback with such
// characters replaced keeps old clients working.
func Attachment(w http.ResponseWriter, name string) {
	var fallback, encoded strings.Builder
	for _, r := range name {
		if r >= ' ' && r <= '~' && !strings.ContainsRune(`"\\;%`, r) {
			fallback.WriteRune(r)
		} else {
			fallback.WriteByte('_')
		}
	}
	for _, b := range []byte(name) {
		if b < 0x80 && (b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || strings.IndexByte("!#$&+-.^_`|~", b) >= 0) {
			encoded.WriteByte(b)
		} else {
			fmt.Fprintf(&encoded, "%%%02X", b)
		}
	}
	w.Header().Set("Content-Disposition", `attachment; filename="`+fallback.String()+`"; filename*=UTF-8''`+encoded.String())
}
