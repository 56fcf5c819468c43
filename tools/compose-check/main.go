// compose-check validates docker-compose.yml without a Docker engine, with compose-go, the loader
// Docker Compose itself uses (schema, interpolation, references), plus this project's own rules.
package main

import (
	"context"
	"fmt"
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

// checkRules: images pinned, long-running services health-checked, workers scalable, and the
// one-shot that registers search attributes gating the application.
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
		fmt.Printf("  %-28s %s\n", name, describe(service))
	}
	if workers, ok := project.Services["workers"]; !ok || len(workers.Ports) > 0 {
		problems = append(problems, "workers: must exist and publish no port, so it can be scaled")
	}
	for _, app := range []string{"api", "workers"} {
		if project.Services[app].DependsOn["temporal-search-attributes"].Condition != types.ServiceConditionCompletedSuccessfully {
			problems = append(problems, app+": must wait for temporal-search-attributes to complete")
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	fmt.Printf("compose-check: %d services valid\n", len(names))
	return nil
}

// knownVariables collects the ORDERS_* variables the application's config files read.
func knownVariables(repo string) map[string]bool {
	known := map[string]bool{}
	reference := regexp.MustCompile(`\$\{(ORDERS_[A-Z0-9_]+)`)
	files, _ := filepath.Glob(filepath.Join(repo, "*", "src", "main", "resources", "*.yml"))
	more, _ := filepath.Glob(filepath.Join(repo, "*", "src", "main", "resources", "config", "*.properties"))
	for _, f := range append(files, more...) {
		text, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, m := range reference.FindAllStringSubmatch(string(text), -1) {
			known[m[1]] = true
		}
	}
	return known
}

func describe(service types.ServiceConfig) string {
	if service.Build != nil {
		return "build " + service.Build.Context + " (" + service.Image + ")"
	}
	return service.Image
}
