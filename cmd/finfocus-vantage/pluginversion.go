package main

import (
	"fmt"
	"strings"

	"github.com/rshade/finfocus-vantage/internal/plugindetect"
	"github.com/rshade/finfocus-vantage/vantage"
	"github.com/urfave/cli/v2"
)

// pluginVersionFlag chooses the plugin version the checks are for.
func pluginVersionFlag() cli.Flag {
	var names []string
	for _, v := range vantage.PluginVersions {
		names = append(names, v.Name)
	}
	return &cli.StringFlag{Name: "plugin-version", Usage: "check for plugin `VERSION` (" + strings.Join(names, ", ") +
		"); default " + vantage.EnvPluginVersion + ", else the installed plugin's (finfocus-plugin-vantage --version), else the newest release known"}
}

// chosenPlugin is a plugin version and why it was chosen.
type chosenPlugin struct {
	v   *vantage.PluginVersion
	why string
}

// String says which version was assumed and why, for the summary.
func (p chosenPlugin) String() string { return "plugin " + p.v.Name + " (" + p.why + ")" }

// choosePlugin picks the plugin version: --plugin-version, else
// FINFOCUS_VANTAGE_PLUGIN_VERSION, else the installed plugin's, else the
// newest release this tool knows. A name it does not know is a usage
// error; an installed version it does not know is assumed to read as the
// newest, and the summary says so.
func choosePlugin(c *cli.Context, e *env) (chosenPlugin, error) {
	return choosePluginWith(c, e, "")
}

// choosePluginWith is choosePlugin with the project file's plugin-version,
// which comes after the flag and the variable and before detection.
func choosePluginWith(c *cli.Context, e *env, fromProject string) (chosenPlugin, error) {
	name, from := c.String("plugin-version"), "--plugin-version"
	if name == "" {
		name, _ = e.Lookup(vantage.EnvPluginVersion)
		from = vantage.EnvPluginVersion
	}
	if name == "" && fromProject != "" {
		name, from = fromProject, "the project file's plugin-version"
	}
	if name != "" {
		v := vantage.FindPluginVersion(name)
		if v == nil {
			return chosenPlugin{}, usageErrorf("%s %q is not a plugin version this tool knows; use one of %s (finfocus-vantage version lists them)", from, name, knownVersions())
		}
		return chosenPlugin{v, "from " + from}, nil
	}
	newest := vantage.PluginVersions[0]
	found, ok := plugindetect.Detect(c.Context, plugindetect.Env{Lookup: e.Lookup})
	switch {
	case !ok:
		return chosenPlugin{newest, "the newest release this tool knows: no " + plugindetect.Binary + " answered on PATH or in FinFocus's plugin folder; choose with --plugin-version"}, nil
	case vantage.FindPluginVersion(found.Version) != nil:
		return chosenPlugin{vantage.FindPluginVersion(found.Version), "installed: " + found.Path}, nil
	}
	return chosenPlugin{newest, fmt.Sprintf("%s says it is %s, which this tool does not know, so the newest release it knows is assumed; choose with --plugin-version", found.Path, found.Version)}, nil
}

// fields are the JSON report's plugin_version: which and why.
func (p chosenPlugin) fields() map[string]string {
	return map[string]string{"name": p.v.Name, "commit": p.v.Commit, "why": p.why}
}

func knownVersions() string {
	var names []string
	for _, v := range vantage.PluginVersions {
		names = append(names, v.Name)
	}
	return strings.Join(names, ", ")
}
