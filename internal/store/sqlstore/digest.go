package sqlstore

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"time"
)

// digest hashes rows value by value, each in a form both reads of one stored value agree on.
type digest struct{ h hash.Hash }

func newDigest() *digest { return &digest{h: sha256.New()} }

func (d *digest) row(vals []any) {
	for _, v := range vals {
		switch x := v.(type) {
		case nil:
			fmt.Fprint(d.h, "∅")
		case []byte:
			fmt.Fprintf(d.h, "%x", x)
		case time.Time:
			fmt.Fprint(d.h, x.UTC().Format(time.RFC3339Nano))
		default:
			fmt.Fprintf(d.h, "%v", x)
		}
		d.h.Write([]byte{0x1f})
	}
	d.h.Write([]byte{0x1e})
}

func (d *digest) sum() string { return hex.EncodeToString(d.h.Sum(nil)) }
