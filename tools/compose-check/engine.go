package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
)

// The locked engine's pieces in docker-compose.yml (docs/security.md, The Temporal engine).
const (
	serverBuild = "tools/temporal-server" // our server: Temporal's library with the workers' authorizer
	tlsJob      = "temporal-tls"          // the one-shot that makes the CA, certificates and keys
	keysVolume  = "temporal-tls"          // where they are; the CA certificate alone is in another volume
	issuer      = "keycloak"
	webUI       = "temporal-ui"
	realmFolder = "config/keycloak"
)

// checkEngine: the configuration that keeps the engine locked. Nothing runs with --allow-no-auth; the
// server is our build, starts after its certificates and the issuer, and alone (with its job) mounts
// the keys; every client of the engine has TLS with a mounted CA and a credential of its own that the
// realm knows, with permissions; the Temporal CLI jobs use TLS and a token; the Web UI signs users in
// as a realm client whose callback it names, checks the frontend's name and passes the user's token to an https codec.
func checkEngine(project *types.Project) []string {
	var problems []string
	names := project.ServiceNames()
	sort.Strings(names)
	realm, err := loadRealm(filepath.Join(project.WorkingDir, realmFolder))
	if err != nil {
		problems = append(problems, err.Error())
	}
	owners := map[string]string{}
	for _, name := range names {
		service := project.Services[name]
		if opensTheEngine(service) {
			problems = append(problems, name+": --allow-no-auth turns the engine's authorization off")
		}
		if mountsVolume(service, keysVolume) && name != "temporal" && name != tlsJob {
			problems = append(problems, name+": mounts "+keysVolume+", the engine's keys, which only the server and "+tlsJob+" may")
		}
		env := values(service.Environment)
		if env["ORDERS_TEMPORAL_TARGET"] != "" {
			problems = append(problems, checkEngineClient(name, service, env, realm, owners)...)
		}
		if strings.HasPrefix(service.Image, "temporalio/admin-tools:") && env["TEMPORAL_ADDRESS"] != "" {
			if env["TEMPORAL_TLS_SERVER_CA_CERT_PATH"] == "" {
				problems = append(problems, name+": the Temporal CLI must trust the engine's CA (TEMPORAL_TLS_SERVER_CA_CERT_PATH)")
			}
			if command := strings.Join(service.Command, " "); !strings.Contains(command, "export TEMPORAL_API_KEY") &&
				!strings.Contains(command, "--api-key") {
				problems = append(problems, name+": the Temporal CLI must send a token (export TEMPORAL_API_KEY, or --api-key)")
			}
		}
	}
	problems = append(problems, checkServer(project)...)
	problems = append(problems, checkWebUI(project, realm)...)
	return problems
}

// checkEngineClient: TLS, with a CA file from a mounted volume other than the keys' (or the system's
// trust store, ORDERS_TEMPORAL_TLS=true); a credential; client credentials the realm knows, with a permissions claim, and used by
// no other service (each process authenticates as itself).
func checkEngineClient(name string, service types.ServiceConfig, env map[string]string, realm map[string]realmClient,
	owners map[string]string) []string {
	var problems []string
	switch ca := env["ORDERS_TEMPORAL_TLS_CA"]; {
	case env["ORDERS_TEMPORAL_TLS"] == "false":
		problems = append(problems, name+": ORDERS_TEMPORAL_TLS=false sends its credential to the engine in plaintext")
	case ca != "":
		if volume := mountedAt(service, path.Dir(ca)); volume == "" {
			problems = append(problems, name+": ORDERS_TEMPORAL_TLS_CA "+ca+" is in no mounted volume")
		} else if volume == keysVolume {
			problems = append(problems, name+": takes its CA from "+keysVolume+", which holds the engine's keys")
		}
	case env["ORDERS_TEMPORAL_TLS"] != "true":
		problems = append(problems, name+": has no CA for the engine's certificate (ORDERS_TEMPORAL_TLS_CA)")
	}
	id, secret := env["ORDERS_TEMPORAL_CLIENT_ID"], env["ORDERS_TEMPORAL_CLIENT_SECRET"]
	if env["ORDERS_TEMPORAL_API_KEY"] != "" {
		return problems
	}
	if id == "" || secret == "" {
		return append(problems, name+": has no credential for the engine (ORDERS_TEMPORAL_CLIENT_ID and _CLIENT_SECRET)")
	}
	if other, taken := owners[id]; taken {
		problems = append(problems, name+": uses the client "+id+" of "+other+"; each service needs its own")
	}
	owners[id] = name
	client, known := realm[id]
	switch {
	case realm == nil:
	case !known || client.Secret != secret:
		problems = append(problems, name+": the realm has no client "+id+" with that secret")
	case !client.claims("permissions"):
		problems = append(problems, name+": the realm's client "+id+" gives no permissions claim, so the engine refuses it")
	}
	return problems
}

// checkServer: our build, after its certificates and the issuer whose keys it checks tokens with.
func checkServer(project *types.Project) []string {
	temporal, ok := project.Services["temporal"]
	if !ok {
		return nil // checkTemporal says so
	}
	var problems []string
	if temporal.Build == nil || temporal.Build.Context != filepath.Join(project.WorkingDir, serverBuild) {
		problems = append(problems, "temporal: must be built from "+serverBuild+" (the authorizer the workers' permission needs)")
	}
	if temporal.DependsOn[tlsJob].Condition != types.ServiceConditionCompletedSuccessfully {
		problems = append(problems, "temporal: must wait for "+tlsJob+" to complete")
	}
	if temporal.DependsOn[issuer].Condition != types.ServiceConditionHealthy {
		problems = append(problems, "temporal: must wait for "+issuer+" to be healthy (it reads the token keys at start)")
	}
	if !mountsVolume(temporal, keysVolume) {
		problems = append(problems, "temporal: must mount "+keysVolume)
	}
	return problems
}

// checkWebUI: sign-in on, as a realm client registered with the UI's callback; TLS that checks the
// frontend's name; the signed-in user's token passed to the codec when it is on https.
func checkWebUI(project *types.Project, realm map[string]realmClient) []string {
	ui, ok := project.Services[webUI]
	if !ok {
		return []string{webUI + ": no such service"}
	}
	env := values(ui.Environment)
	var problems []string
	for _, variable := range []string{"TEMPORAL_AUTH_ENABLED", "TEMPORAL_TLS_ENABLE_HOST_VERIFICATION"} {
		if env[variable] != "true" {
			problems = append(problems, webUI+": "+variable+" must be true")
		}
	}
	// the Web UI sends the user's token to an https codec only, and with it asked to calls no http codec at all
	if https := strings.HasPrefix(env["TEMPORAL_CODEC_ENDPOINT"], "https://"); (env["TEMPORAL_CODEC_PASS_ACCESS_TOKEN"] == "true") != https {
		problems = append(problems, webUI+": TEMPORAL_CODEC_PASS_ACCESS_TOKEN must be \"true\" exactly when TEMPORAL_CODEC_ENDPOINT is https")
	}
	for _, variable := range []string{"TEMPORAL_TLS_CA", "TEMPORAL_AUTH_PROVIDER_URL", "TEMPORAL_AUTH_CALLBACK_URL"} {
		if env[variable] == "" {
			problems = append(problems, webUI+": "+variable+" must be set")
		}
	}
	id := env["TEMPORAL_AUTH_CLIENT_ID"]
	client, known := realm[id]
	switch {
	case realm == nil:
	case !known || client.Secret != env["TEMPORAL_AUTH_CLIENT_SECRET"] || !client.StandardFlow:
		problems = append(problems, webUI+": the realm has no client "+id+" with that secret and the authorization code flow")
	case !slices.Contains(client.RedirectURIs, env["TEMPORAL_AUTH_CALLBACK_URL"]):
		problems = append(problems, webUI+": the realm's client "+id+" does not allow the callback "+env["TEMPORAL_AUTH_CALLBACK_URL"])
	}
	return problems
}

// opensTheEngine: the server's flag that runs it without any authorizer, anywhere a service runs it.
func opensTheEngine(service types.ServiceConfig) bool {
	words := append(slices.Clone(service.Entrypoint), service.Command...)
	if service.HealthCheck != nil {
		words = append(words, service.HealthCheck.Test...)
	}
	for _, value := range values(service.Environment) {
		words = append(words, value)
	}
	return slices.ContainsFunc(words, func(word string) bool { return strings.Contains(word, "allow-no-auth") })
}

// mountedAt: the source of the volume mounted at folder or above it ("" if none).
func mountedAt(service types.ServiceConfig, folder string) string {
	for _, volume := range service.Volumes {
		if folder == volume.Target || strings.HasPrefix(folder, volume.Target+"/") {
			return volume.Source
		}
	}
	return ""
}

func mountsVolume(service types.ServiceConfig, name string) bool {
	return slices.ContainsFunc(service.Volumes, func(volume types.ServiceVolumeConfig) bool {
		return volume.Type == types.VolumeTypeVolume && volume.Source == name
	})
}

func values(environment types.MappingWithEquals) map[string]string {
	result := map[string]string{}
	for key, value := range environment {
		if value != nil {
			result[key] = *value
		}
	}
	return result
}

// realmClient: what the rules need of a client in Keycloak's realm import.
type realmClient struct {
	ClientID     string        `json:"clientId"`
	Secret       string        `json:"secret"`
	StandardFlow bool          `json:"standardFlowEnabled"`
	RedirectURIs []string      `json:"redirectUris"`
	Mappers      []realmMapper `json:"protocolMappers"`
}

type realmMapper struct {
	Config map[string]string `json:"config"`
}

// claims: whether one of the client's mappers puts the claim name into its tokens.
func (c realmClient) claims(name string) bool {
	return slices.ContainsFunc(c.Mappers, func(m realmMapper) bool { return m.Config["claim.name"] == name })
}

// loadRealm reads the clients of the realm(s) Keycloak imports from folder.
func loadRealm(folder string) (map[string]realmClient, error) {
	files, _ := filepath.Glob(filepath.Join(folder, "*.json"))
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no realm to check the engine's clients against", realmFolder)
	}
	clients := map[string]realmClient{}
	for _, file := range files {
		text, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		var realm struct {
			Clients []realmClient `json:"clients"`
		}
		if err := json.Unmarshal(text, &realm); err != nil {
			return nil, err
		}
		for _, client := range realm.Clients {
			clients[client.ClientID] = client
		}
	}
	return clients, nil
}
