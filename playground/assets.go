package playground

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"path"
	"strings"
)

//go:embed assets
var embedded embed.FS

// asset is one embedded file served under a content-hashed name, so browsers
// may keep it for a year: a refresh changes the name the page points to.
type asset struct {
	name   string // file name in assets/
	hashed string // name served under the playground prefix
	ctype  string
	etag   string
	body   []byte
}

// contentTypes lists what is served, with explicit types so the answer does
// not depend on the host's MIME tables; other files (the page template,
// SHA256SUMS, VERSIONS) are never served.
var contentTypes = map[string]string{
	".js":  "text/javascript; charset=utf-8",
	".css": "text/css; charset=utf-8",
	".svg": "image/svg+xml",
}

// assetPrefix is where assets live below the page, as a relative path so the
// handler also works when mounted below a path prefix.
const assetPrefix = "playground/"

// assetsByName and assetsByHash index every servable embedded file.
var assetsByName, assetsByHash = loadAssets()

func loadAssets() (map[string]*asset, map[string]*asset) {
	byName, byHash := map[string]*asset{}, map[string]*asset{}
	entries, err := fs.ReadDir(embedded, "assets")
	if err != nil {
		panic(err) // the embed directive guarantees the directory
	}
	for _, e := range entries {
		ext := path.Ext(e.Name())
		ctype, ok := contentTypes[ext]
		if !ok || e.IsDir() {
			continue
		}
		body, err := embedded.ReadFile("assets/" + e.Name())
		if err != nil {
			panic(err)
		}
		sum := sha256.Sum256(body)
		h := hex.EncodeToString(sum[:])[:16]
		a := &asset{
			name:   e.Name(),
			hashed: strings.TrimSuffix(e.Name(), ext) + "." + h + ext,
			ctype:  ctype,
			etag:   `"` + h + `"`,
			body:   body,
		}
		byName[a.name], byHash[a.hashed] = a, a
	}
	return byName, byHash
}

// assetURL is the page's reference to an embedded file.
func assetURL(name string) (string, error) {
	a, ok := assetsByName[name]
	if !ok {
		return "", fs.ErrNotExist
	}
	return assetPrefix + a.hashed, nil
}
