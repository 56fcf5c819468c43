// The production Temporal server of this service: Temporal's server library (the version in go.mod)
// with the authorizer of authorizer.go, which gives the workers' credential what a worker process
// needs. scripts/temporal-server.sh builds it and starts it as
//
//	<binary> start --config config/temporal-server --env temporal
//	<binary> validate-dynamic-config FILE...
//
// The config file is <config>/<env>.yaml (a Go template when its first lines say enable-template).
// Unlike the stock server there is no way to run without authorization: the config must name the
// default JWT claim mapper and authorizer, and the issuer's keys.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	_ "time/tzdata" // the server's timezone rules where the host has none

	"go.temporal.io/server/common/authorization"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/dynamicconfig"
	"go.temporal.io/server/common/headers"
	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/log/tag"
	_ "go.temporal.io/server/common/persistence/sql/sqlplugin/postgresql" // registers postgres12 and postgres12_pgx
	"go.temporal.io/server/temporal"
)

const usage = `usage:
  temporal-server start [--config DIR] [--env NAME]   run the services the config lists
  temporal-server validate-dynamic-config FILE...     check a dynamic config file's keys and values`

func main() {
	if len(os.Args) < 2 {
		exit(errors.New(usage))
	}
	var err error
	switch os.Args[1] {
	case "start":
		err = start(os.Args[2:])
	case "validate-dynamic-config":
		err = validateDynamicConfig(os.Args[2:])
	default:
		err = errors.New(usage)
	}
	exit(err)
}

func exit(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// defaultGCPercent is the garbage collector's target when GOGC is not set: 400 instead of Go's 100, a
// quarter of the collections for about twice the heap (docs/engine-tuning.md has what it bought).
const defaultGCPercent = 400

// gcPercent is the GC target to set, if any: none when the environment sets GOGC itself.
func gcPercent(lookupEnv func(string) (string, bool)) (int, bool) {
	if _, set := lookupEnv("GOGC"); set {
		return 0, false
	}
	return defaultGCPercent, true
}

func start(args []string) error {
	if percent, ok := gcPercent(os.LookupEnv); ok {
		debug.SetGCPercent(percent)
	}
	flags := flag.NewFlagSet("start", flag.ContinueOnError)
	configDir := flags.String("config", "config", "the folder of <env>.yaml")
	env := flags.String("env", "development", "the config file's name without .yaml")
	if err := flags.Parse(args); err != nil {
		return err
	}
	cfg, err := config.LoadConfig(*env, *configDir, "")
	if err != nil {
		return fmt.Errorf("cannot load %s/%s.yaml: %w", *configDir, *env, err)
	}
	services, err := configuredServices(cfg)
	if err != nil {
		return err
	}
	if err := requireAuthorization(cfg.Global.Authorization); err != nil {
		return err
	}
	logger := log.NewZapLogger(log.BuildZapLogger(cfg.Log))
	logger.Info("Starting the Temporal server", tag.NewStringTag("server-version", headers.ServerVersion),
		tag.NewStringsTag("services", services))

	dynamicConfig := dynamicconfig.NewNoopClient()
	if cfg.DynamicConfigClient != nil {
		fileClient, err := dynamicconfig.NewFileBasedClient(cfg.DynamicConfigClient, logger, temporal.InterruptCh())
		if err != nil {
			return fmt.Errorf("cannot read the dynamic config: %w", err)
		}
		dynamicConfig = fileClient
	}
	claimMapper, err := authorization.GetClaimMapperFromConfig(&cfg.Global.Authorization, logger)
	if err != nil {
		return fmt.Errorf("cannot create the claim mapper: %w", err)
	}
	audience, err := authorization.GetAudienceMapperFromConfig(&cfg.Global.Authorization)
	if err != nil {
		return fmt.Errorf("cannot create the audience check: %w", err)
	}

	server, err := temporal.NewServer(
		temporal.ForServices(services),
		temporal.WithConfig(cfg),
		temporal.WithDynamicConfigClient(dynamicConfig),
		temporal.WithLogger(logger),
		temporal.InterruptOn(temporal.InterruptCh()),
		temporal.WithAuthorizer(newWorkerAwareAuthorizer(logger)),
		temporal.WithClaimMapper(func(*config.Config) authorization.ClaimMapper { return claimMapper }),
		temporal.WithAudienceGetter(func(*config.Config) authorization.JWTAudienceMapper { return audience }),
	)
	if err != nil {
		return fmt.Errorf("cannot create the server: %w", err)
	}
	// blocks until SIGINT or SIGTERM, then stops every service
	if err := server.Start(); err != nil {
		return fmt.Errorf("the server stopped: %w", err)
	}
	return nil
}

// requireAuthorization: the stock server runs open when the config names no claim mapper and no
// authorizer; this one refuses to.
func requireAuthorization(cfg config.Authorization) error {
	if !strings.EqualFold(cfg.ClaimMapper, "default") || !strings.EqualFold(cfg.Authorizer, "default") {
		return errors.New("global.authorization needs claimMapper: default and authorizer: default " +
			"(the latter wrapped by this build's worker-aware authorizer): this server never runs without authorization")
	}
	if !cfg.JWTKeyProvider.HasSourceURIsConfigured() {
		return errors.New("global.authorization.jwtKeyProvider.keySourceURIs is empty: no token could ever be verified")
	}
	return nil
}

// configuredServices: every service that has a section under `services` in the config, so the
// config alone decides what runs (here all of them, with internal-frontend for the system worker).
func configuredServices(cfg *config.Config) ([]string, error) {
	var services []string
	for name := range cfg.Services {
		if !slices.Contains(temporal.Services, name) {
			return nil, fmt.Errorf("unknown service %q under services (known: %s)", name, strings.Join(temporal.Services, ", "))
		}
		services = append(services, name)
	}
	if len(services) == 0 {
		return nil, errors.New("the config lists no services")
	}
	slices.Sort(services)
	return services, nil
}

func validateDynamicConfig(files []string) error {
	if len(files) == 0 {
		return errors.New(usage)
	}
	failed := 0
	for _, file := range files {
		contents, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		result := dynamicconfig.ValidateFile(contents)
		for _, problem := range result.Errors {
			fmt.Printf("%s: error: %v\n", file, problem)
		}
		for _, problem := range result.Warnings {
			fmt.Printf("%s: warning: %v\n", file, problem)
		}
		failed += len(result.Errors)
	}
	if failed > 0 {
		return fmt.Errorf("%d error(s) in the dynamic config", failed)
	}
	return nil
}
