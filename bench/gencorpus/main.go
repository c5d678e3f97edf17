// Command gencorpus writes a deterministic synthetic monorepo for the
// repository-scanning benchmark: source code, YAML manifests, Terraform,
// docs and JSON, with a known set of planted Vantage tokens listed in
// planted.tsv beside the tree (not inside it).
//
//	go run ./bench/gencorpus -out /tmp/corpus -files 20000 -mb 200
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

var words = strings.Fields(`func return if else for range var const type struct interface map string int error nil
	ctx request response handler client server config options value values result results item items index count
	name id user account service region provider cost amount currency total page limit offset cursor next prev
	token key secret password api auth header bearer session cookie cache store load save read write open close
	log logger debug info warn metric span trace event queue worker pool job task retry backoff timeout deadline
	aws gcp azure bucket table query filter sort group order by from select where join insert update delete
	http https url path host port scheme json yaml xml csv parse format encode decode marshal unmarshal buffer`)

type gen struct {
	r *rand.Rand
}

func (g *gen) word() string { return words[g.r.IntN(len(words))] }

func (g *gen) ident() string {
	w := g.word()
	if g.r.IntN(2) == 0 {
		w += strings.ToUpper(g.word()[:1]) + g.word()[1:]
	}
	return w
}

func (g *gen) hex(n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[g.r.IntN(16)]
	}
	return string(b)
}

func (g *gen) goFile(size int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "package %s\n\nimport (\n\t\"context\"\n\t\"fmt\"\n)\n\n", g.word())
	for b.Len() < size {
		fmt.Fprintf(&b, "// %s %s the %s of a %s.\nfunc %s(ctx context.Context, %s string) (int, error) {\n", g.ident(), g.word(), g.word(), g.word(), g.ident(), g.ident())
		for i := 0; i < 4+g.r.IntN(6); i++ {
			fmt.Fprintf(&b, "\t%s := fmt.Sprintf(\"%%s-%s\", %s)\n", g.ident(), g.word(), g.ident())
		}
		fmt.Fprintf(&b, "\tif %s != nil {\n\t\treturn 0, fmt.Errorf(\"%s %s: %%w\", err)\n\t}\n\treturn %d, nil\n}\n\n", g.ident(), g.word(), g.word(), g.r.IntN(1000))
	}
	return b.String()
}

func (g *gen) pyFile(size int) string {
	var b strings.Builder
	b.WriteString("import os\nimport json\n\n")
	for b.Len() < size {
		fmt.Fprintf(&b, "def %s(%s, %s=None):\n    \"\"\"%s %s %s.\"\"\"\n", g.ident(), g.word(), g.word(), g.word(), g.word(), g.word())
		for i := 0; i < 3+g.r.IntN(5); i++ {
			fmt.Fprintf(&b, "    %s = %s.get(\"%s\", %d)\n", g.word(), g.word(), g.word(), g.r.IntN(100))
		}
		fmt.Fprintf(&b, "    return %s\n\n", g.word())
	}
	return b.String()
}

func (g *gen) yamlFile(size int) string {
	var b strings.Builder
	for b.Len() < size {
		fmt.Fprintf(&b, "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: %s-%s\n  labels:\n    app: %s\nspec:\n  replicas: %d\n  template:\n    spec:\n      containers:\n        - name: %s\n          image: registry.example.com/%s:%d.%d\n          env:\n", g.word(), g.word(), g.word(), g.r.IntN(5)+1, g.word(), g.word(), g.r.IntN(9), g.r.IntN(20))
		for i := 0; i < 3; i++ {
			fmt.Fprintf(&b, "            - name: %s_%s\n              value: \"%s\"\n", strings.ToUpper(g.word()), strings.ToUpper(g.word()), g.word())
		}
		b.WriteString("---\n")
	}
	return b.String()
}

func (g *gen) tfFile(size int) string {
	var b strings.Builder
	for b.Len() < size {
		fmt.Fprintf(&b, "resource \"aws_s3_bucket\" \"%s_%s\" {\n  bucket = \"%s-%s-%s\"\n  tags = {\n    team = \"%s\"\n  }\n}\n\nvariable \"%s_%s\" {\n  type    = string\n  default = \"%s\"\n}\n\n", g.word(), g.word(), g.word(), g.word(), g.hex(6), g.word(), g.word(), g.word(), g.word())
	}
	return b.String()
}

func (g *gen) mdFile(size int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s %s\n\n", g.word(), g.word())
	for b.Len() < size {
		for i := 0; i < 12; i++ {
			b.WriteString(g.word())
			b.WriteByte(' ')
		}
		b.WriteString("\n")
		if g.r.IntN(8) == 0 {
			fmt.Fprintf(&b, "\n## %s\n\n", g.word())
		}
	}
	return b.String()
}

func (g *gen) jsonFile(size int) string {
	var b strings.Builder
	b.WriteString("{\n  \"items\": [\n")
	first := true
	for b.Len() < size {
		if !first {
			b.WriteString(",\n")
		}
		first = false
		fmt.Fprintf(&b, "    {\"id\": \"%s\", \"%s\": %d, \"%s\": \"%s\"}", g.hex(12), g.word(), g.r.IntN(10000), g.word(), g.word())
	}
	b.WriteString("\n  ]\n}\n")
	return b.String()
}

func main() {
	out := flag.String("out", "/tmp/ffv-bench-corpus", "folder to write the tree into")
	files := flag.Int("files", 20000, "number of files")
	mb := flag.Int("mb", 200, "total size in MB (approximate, at least)")
	seed := flag.Uint64("seed", 1, "random seed")
	planted := flag.Int("planted", 40, "number of planted tokens")
	flag.Parse()

	g := &gen{r: rand.New(rand.NewPCG(*seed, 2))}
	avg := *mb * 1000 * 1000 / *files
	kinds := []struct {
		ext  string
		make func(int) string
	}{{".go", g.goFile}, {".py", g.pyFile}, {".yaml", g.yamlFile}, {".tf", g.tfFile}, {".md", g.mdFile}, {".json", g.jsonFile}}
	type plant struct{ path, token string }
	var plants []plant
	plantEvery := *files / max(*planted, 1)
	var total int
	for i := 0; i < *files; i++ {
		k := kinds[i%len(kinds)]
		plantHere := i%plantEvery == plantEvery/2 && len(plants) < *planted
		if plantHere {
			k = kinds[len(plants)%len(kinds)] // spread plants over every kind
		}
		dir := filepath.Join(fmt.Sprintf("svc%03d", i%200), []string{"src", "deploy", "infra", "docs", "internal"}[i%5])
		name := fmt.Sprintf("%s_%05d%s", g.word(), i, k.ext)
		size := avg/2 + g.r.IntN(avg)
		content := k.make(size)
		if plantHere {
			tok := "vntg_tkn_" + g.hex(40)
			var line string
			switch k.ext {
			case ".go":
				line = fmt.Sprintf("\nconst vantageToken = %q\n", tok)
			case ".py":
				line = fmt.Sprintf("\nVANTAGE_API_TOKEN = %q\n", tok)
			case ".yaml":
				line = fmt.Sprintf("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: finops\ndata:\n  FINFOCUS_VANTAGE_TOKEN: %s\n", tok)
			case ".tf":
				line = fmt.Sprintf("\nprovider \"vantage\" {\n  api_token = %q\n}\n", tok)
			case ".md":
				line = fmt.Sprintf("\nExample: `curl -H \"Authorization: Bearer %s\" https://api.vantage.sh/v2/me`\n", tok)
			case ".json":
				content = strings.TrimSuffix(content, "\n}\n") + fmt.Sprintf(",\n  \"vantage_token\": %q\n}\n", tok)
			}
			content += line
			plants = append(plants, plant{filepath.ToSlash(filepath.Join(dir, name)), tok})
		}
		p := filepath.Join(*out, dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		total += len(content)
	}
	var tsv strings.Builder
	for _, p := range plants {
		fmt.Fprintf(&tsv, "%s\t%s\n", p.path, p.token)
	}
	if err := os.WriteFile(strings.TrimSuffix(*out, "/")+".planted.tsv", []byte(tsv.String()), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("wrote %d files, %.1f MB, %d planted tokens into %s\n", *files, float64(total)/1e6, len(plants), *out)
}
