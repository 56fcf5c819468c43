// compose-check validates docker-compose.yml without a Docker engine, with compose-go, the loader
// Docker Compose itself uses (schema, interpolation, references), plus this project's own rules.
package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: compose-check docker-compose.yml")
		os.Exit(2)
	}
	file, _ := filepath.Abs(os.Args[1])
	options, err := cli.NewProjectOptions([]string{file}, cli.WithWorkingDirectory(filepath.Dir(file)), cli.WithName("check"))
	if err == nil {
		var project *types.Project
		project, err = cli.ProjectFromOptions(context.Background(), options)
		if err == nil {
			err = checkRules(project, knownVariables(filepath.Dir(file)))
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "compose-check: INVALID:", err)
		os.Exit(1)
	}
}

// The configuration `./run --temporal server` starts the Temporal server from; the compose file
// mounts the same folder into the server's container.
const temporalConfig = "config/temporal-server"

// checkRules: images pinned, long-running services health-checked, workers and relay scalable, files
// mounted from the repository present, the Temporal server run from config/temporal-server after its
// schema job, the one-shot that creates the namespace and search attributes gating the application,
// and the one that creates the Kafka topics gating the relay.
func checkRules(project *types.Project, known map[string]bool) error {
	var problems []string
	names := project.ServiceNames()
	sort.Strings(names)
	for _, name := range names {
		service := project.Services[name]
		if service.Image == "" && service.Build == nil {
			problems = append(problems, name+": neither image nor build")
		}
		if service.Build == nil && (!strings.Contains(service.Image, ":") || strings.HasSuffix(service.Image, ":latest")) {
			problems = append(problems, name+": image "+service.Image+" is not pinned to a version")
		}
		oneShot := service.Restart == "no"
		if !oneShot && name != "temporal-ui" && service.HealthCheck == nil {
			problems = append(problems, name+": no healthcheck")
		}
		for variable := range service.Environment {
			if strings.HasPrefix(variable, "ORDERS_") && !known[variable] {
				problems = append(problems, name+": "+variable+" is read by no application config")
			}
		}
		problems = append(problems, checkMounts(name, service, project.WorkingDir)...)
		fmt.Printf("  %-28s %s\n", name, describe(service))
	}
	for _, scaled := range []string{"workers", "relay"} {
		if service, ok := project.Services[scaled]; !ok || len(service.Ports) > 0 || service.ContainerName != "" {
			problems = append(problems, scaled+": must exist with no published port and no container_name, so it can be scaled")
		}
	}
	for _, app := range []string{"api", "workers"} {
		if project.Services[app].DependsOn["temporal-namespace"].Condition != types.ServiceConditionCompletedSuccessfully {
			problems = append(problems, app+": must wait for temporal-namespace to complete")
		}
	}
	if project.Services["relay"].DependsOn["kafka-topics"].Condition != types.ServiceConditionCompletedSuccessfully {
		problems = append(problems, "relay: must wait for kafka-topics to complete")
	}
	problems = append(problems, checkTemporal(project)...)
	problems = append(problems, checkEngine(project)...)
	if len(problems) > 0 {
		return fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	fmt.Printf("compose-check: %d services valid\n", len(names))
	return nil
}

// checkMounts: every file or folder a service mounts from the repository exists.
func checkMounts(name string, service types.ServiceConfig, repo string) []string {
	var problems []string
	for _, volume := range service.Volumes {
		if volume.Type != types.VolumeTypeBind {
			continue
		}
		if _, err := os.Stat(volume.Source); err != nil {
			relative, _ := filepath.Rel(repo, volume.Source)
			problems = append(problems, name+": mounts "+relative+", which does not exist")
		}
	}
	return problems
}

// checkTemporal: the server mounts config/temporal-server (the files ./run --temporal server uses),
// starts after its schema job, and is given only TEMPORAL_* variables those files read.
func checkTemporal(project *types.Project) []string {
	temporal, ok := project.Services["temporal"]
	if !ok {
		return []string{"temporal: no such service"}
	}
	var problems []string
	config := filepath.Join(project.WorkingDir, temporalConfig)
	mounted := false
	for _, volume := range temporal.Volumes {
		mounted = mounted || (volume.Type == types.VolumeTypeBind && volume.Source == config)
	}
	if !mounted {
		problems = append(problems, "temporal: must mount "+temporalConfig+", the configuration of ./run --temporal server")
	}
	if temporal.DependsOn["temporal-schema"].Condition != types.ServiceConditionCompletedSuccessfully {
		problems = append(problems, "temporal: must wait for temporal-schema to complete")
	}
	read := map[string]bool{}
	reference := regexp.MustCompile(`env "(TEMPORAL_[A-Z0-9_]+)"`)
	files, _ := filepath.Glob(filepath.Join(config, "*.yaml"))
	for _, f := range files {
		text, _ := os.ReadFile(f)
		for _, m := range reference.FindAllStringSubmatch(string(text), -1) {
			read[m[1]] = true
		}
	}
	for variable := range temporal.Environment {
		if strings.HasPrefix(variable, "TEMPORAL_") && !read[variable] {
			problems = append(problems, "temporal: "+variable+" is read by nothing in "+temporalConfig)
		}
	}
	return problems
}

// knownVariables collects the ORDERS_* variables the application reads: placeholders in its config
// files, and names its code reads from the environment itself (string constants in main sources).
func knownVariables(repo string) map[string]bool {
	known := map[string]bool{}
	placeholder := regexp.MustCompile(`\$\{(ORDERS_[A-Z0-9_]+)`)
	constant := regexp.MustCompile(`"(ORDERS_[A-Z0-9_]+)"`)
	files, _ := filepath.Glob(filepath.Join(repo, "*", "src", "main", "resources", "*.yml"))
	more, _ := filepath.Glob(filepath.Join(repo, "*", "src", "main", "resources", "config", "*.properties"))
	collect(append(files, more...), placeholder, known)
	var sources []string
	roots, _ := filepath.Glob(filepath.Join(repo, "*", "src", "main", "java"))
	for _, root := range roots {
		filepath.WalkDir(root, func(file string, _ fs.DirEntry, err error) error {
			if err == nil && strings.HasSuffix(file, ".java") {
				sources = append(sources, file)
			}
			return nil
		})
	}
	collect(sources, constant, known)
	return known
}

func collect(files []string, reference *regexp.Regexp, known map[string]bool) {
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, m := range reference.FindAllStringSubmatch(string(text), -1) {
			known[m[1]] = true
		}
	}
}

func describe(service types.ServiceConfig) string {
	if service.Build != nil {
		return "build " + service.Build.Context + " (" + service.Image + ")"
	}
	return service.Image
}
