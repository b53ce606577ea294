// Read by the `postgraphile` command started in this folder (scripts/bench runs it here).
// Only what the command line cannot say lives here; the flags are in scripts/bench.
module.exports = {
  options: {
    graphileBuildOptions: {
      // postgraphile-plugin-connection-filter: filter people by their name tokens
      // (`personNameTokensByPersonId: { some: ... }`), as Gazette's name search does.
      connectionFilterRelations: true,
    },
  },
};
