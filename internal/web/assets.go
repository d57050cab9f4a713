package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed static templates
var embedded embed.FS

// htmxAsset is copied from node_modules by `make assets`; the console works without it (every
// form and link is a plain request), htmx only makes lists and forms update in place.
const htmxAsset = "vendor/htmx.min.js"

// assets serves the embedded static files under /static/NAME?v=HASH; the hash in the URL lets
// browsers cache them forever and still see every new build.
type assets struct {
	files  map[string][]byte
	hashes map[string]string
}

func loadAssets() (*assets, error) {
	a := &assets{files: map[string][]byte{}, hashes: map[string]string{}}
	err := fs.WalkDir(staticFS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(path.Base(p), ".") {
			return err
		}
		b, err := fs.ReadFile(staticFS(), p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		a.files[p], a.hashes[p] = b, hex.EncodeToString(sum[:6])
		return nil
	})
	return a, err
}

// URL is the cache-busting address of an asset, or "" when it is not built in.
func (a *assets) URL(name string) string {
	h, ok := a.hashes[name]
	if !ok {
		return ""
	}
	return "/static/" + name + "?v=" + h
}

func (a *assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/static/")
	b, ok := a.files[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	if r.URL.Query().Get("v") == a.hashes[name] {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	_, _ = w.Write(b)
}
