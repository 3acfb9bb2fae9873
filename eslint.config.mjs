// eslint 9 (flat config) for the page code and its node tests: `make lint`.
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    files: ["maps/js/**/*.js", "maps/js/**/*.mjs", "tests/js/**/*.mjs"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      // The page code runs in browsers, build.mjs and the tests in node;
      // Leaflet is the page's global L, loaded before the bundle.
      globals: { ...globals.browser, ...globals.node, L: "readonly" },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      eqeqeq: "error",
      "no-var": "error",
      "prefer-const": "error",
      "no-unused-vars": ["error", { args: "after-used" }],
      "no-unused-expressions": "error",
      "no-implicit-globals": "error",
      "no-shadow": "error",
      "no-param-reassign": "off",
    },
  },
];
