# A test double of the NixOS module system, small enough to read: it evaluates the SDK's static modules
# (nix/fediversity-base.nix, nix/fediversity-secrets.nix) and a generated machine module without nixpkgs, so
# that the tests can assert the option values they produce.
#
# Contract followed (nixpkgs lib/modules.nix, lib/types.nix, lib/options.nix, lib/strings.nix):
# - a module is a function of { config, lib, pkgs, ... } or an attribute set, with `imports`, `options` and
#   `config` (or only config); `imports` may hold paths, functions and attribute sets;
# - `mkIf`, `mkMerge` and `mkOverride` (`mkDefault` = 1000, option defaults = 1500, plain definitions = 100) are
#   pushed down into attribute sets without evaluating conditions (pushDownProperties), and discharged at the
#   leaves (dischargeProperties); the definitions with the lowest priority number win (filterOverrides);
# - declared options merge by type: lists concatenate, attribute sets of submodules merge per name and get the
#   submodule's defaults, other values must be equal; each value is checked against its type;
# - paths no option declares (everything of NixOS outside fediversity.*) merge the same way without a type:
#   attribute sets per name, lists concatenated, other values equal. Nothing of NixOS itself is evaluated.
# - `lib.escapeShellArg` quotes as lib/strings.nix does; `lib.mapAttrs'`/`lib.nameValuePair` as lib/attrsets.nix.
{ modules, pkgs ? { } }:
let
  inherit (builtins)
    all
    attrNames
    concatLists
    concatMap
    elem
    filter
    foldl'
    head
    isAttrs
    isBool
    isFunction
    isInt
    isList
    isPath
    isString
    listToAttrs
    mapAttrs
    match
    replaceStrings
    ;

  unique = foldl' (acc: x: if elem x acc then acc else acc ++ [ x ]) [ ];

  types = {
    str = {
      name = "str";
      check = isString;
    };
    bool = {
      name = "bool";
      check = isBool;
    };
    port = {
      name = "port";
      check = v: isInt v && v >= 0 && v <= 65535;
    };
    singleLineStr = {
      name = "singleLineStr";
      check = v: isString v && match "[^\n]*\n?" v != null;
    };
    strMatching = re: {
      name = "strMatching ${re}";
      check = v: isString v && match re v != null;
    };
    enum = values: {
      name = "enum";
      check = v: elem v values;
    };
    nullOr = t: {
      name = "nullOr ${t.name}";
      check = v: v == null || t.check v;
    };
    listOf = t: {
      name = "listOf ${t.name}";
      list = true;
      check = v: isList v && all t.check v;
    };
    attrsOf = t: {
      name = "attrsOf ${t.name}";
      elem = t;
      check = v: isAttrs v && all (n: t.check v.${n}) (attrNames v);
    };
    submodule = m: {
      name = "submodule";
      options = m.options;
      check = isAttrs;
    };
  };

  lib = {
    inherit types unique;
    mkOption = args: args // { _type = "option"; };
    mkIf = condition: content: {
      _type = "if";
      inherit condition content;
    };
    mkMerge = contents: {
      _type = "merge";
      inherit contents;
    };
    mkOverride = priority: content: {
      _type = "override";
      inherit priority content;
    };
    mkDefault = lib.mkOverride 1000;
    mkForce = lib.mkOverride 50;
    attrValues = a: map (n: a.${n}) (attrNames a);
    inherit attrNames concatMap;
    concatStringsSep = builtins.concatStringsSep;
    concatMapStringsSep = sep: f: l: builtins.concatStringsSep sep (map f l);
    mapAttrsToList = f: a: map (n: f n a.${n}) (attrNames a);
    # lib/attrsets.nix: `nameValuePair` and `mapAttrs'` (a function returning { name, value } per attribute).
    nameValuePair = name: value: { inherit name value; };
    mapAttrs' = f: a: listToAttrs (map (n: f n a.${n}) (attrNames a));
    escapeShellArg =
      arg:
      let
        s = toString arg;
      in
      if match "[[:alnum:],._+:@%/-]+" s == null then "'${replaceStrings [ "'" ] [ "'\\''" ] s}'" else s;
  };

  # Every module once, with its imports (paths imported, functions called).
  load = m: if isPath m || isString m then import m else m;
  call =
    m:
    let
      v = load m;
    in
    if isFunction v then
      v {
        inherit config lib pkgs;
        modulesPath = "/modules";
      }
    else
      v;
  flatten = ms: concatMap (m: let v = call m; in [ v ] ++ flatten (v.imports or [ ])) ms;
  all' = flatten modules;

  optionsOf = m: m.options or { };
  configOf =
    m:
    if m ? config || m ? options then
      m.config or { }
    else
      removeAttrs m [
        "_file"
        "imports"
        "key"
        "meta"
        "disabledModules"
      ];

  isOption = v: isAttrs v && v._type or "" == "option";
  # pushDownProperties: a definition of an attribute set becomes attribute sets of definitions.
  pushDown =
    def:
    if def._type or "" == "merge" then
      concatMap pushDown def.contents
    else if def._type or "" == "if" then
      map (mapAttrs (_: lib.mkIf def.condition)) (pushDown def.content)
    else if def._type or "" == "override" then
      map (mapAttrs (_: lib.mkOverride def.priority)) (pushDown def.content)
    else
      [ def ];

  # The innermost values of a definition, without evaluating conditions.
  inner =
    def:
    if def._type or "" == "merge" then
      concatMap inner def.contents
    else if elem (def._type or "") [ "if" "override" ] then
      inner def.content
    else
      [ def ];

  # dischargeProperties + priorities: [ { value, priority } ].
  discharge =
    priority: def:
    if def._type or "" == "merge" then
      concatMap (discharge priority) def.contents
    else if def._type or "" == "if" then
      (if def.condition then discharge priority def.content else [ ])
    else if def._type or "" == "override" then
      discharge def.priority def.content
    else
      [
        {
          value = def;
          inherit priority;
        }
      ];

  mergeEqual =
    path: values:
    if all (v: v == head values) values then
      head values
    else
      throw "The option `${path}' has conflicting definitions: ${builtins.toJSON values}";

  # Merges the definitions at `path`; `decl` is the option declared there (or an attribute set of declarations).
  mergeAt =
    path: decl: defs:
    if isOption decl then
      mergeOption path decl defs
    else
      let
        recurse =
          decl != { } || (defs != [ ] && all (v: isAttrs v && !(v ? _type) && !(v ? outPath)) (concatMap inner defs));
      in
      if recurse then mergeAttrs path decl defs else mergeLeaf path defs;

  mergeAttrs =
    path: decl: defs:
    let
      sets = concatMap pushDown defs;
      names = unique (concatMap attrNames sets ++ attrNames decl);
      sub = n: concatMap (s: if s ? ${n} then [ s.${n} ] else [ ]) sets;
    in
    listToAttrs (
      map (n: {
        name = n;
        value = mergeAt "${path}.${n}" (decl.${n} or { }) (sub n);
      }) (filter (n: decl ? ${n} || sub n != [ ]) names)
    );

  winners =
    defs:
    let
      all = concatMap (discharge 100) defs;
      best = foldl' (p: d: if d.priority < p then d.priority else p) 9999 all;
    in
    map (d: d.value) (filter (d: d.priority == best) all);

  mergeLeaf =
    path: defs:
    let
      values = winners defs;
    in
    if values == [ ] then
      throw "The option `${path}' is used but not defined."
    else if all isList values then
      concatLists values
    else
      mergeEqual path values;

  mergeOption =
    path: opt: defs:
    let
      withDefault = defs ++ (if opt ? default then [ (lib.mkOverride 1500 opt.default) ] else [ ]);
      values = winners withDefault;
      type = opt.type;
      merged =
        if values == [ ] then
          throw "The option `${path}' is used but not defined."
        else if type.list or false then
          concatLists values
        else if type ? elem && type.elem ? options then
          mapAttrs (n: v: mergeAttrs "${path}.${n}" type.elem.options [ v ]) (mergeAttrs path { } values)
        else if type ? elem then
          mergeAttrs path { } values
        else
          mergeEqual path values;
    in
    if type.check merged then
      merged
    else
      throw "The option `${path}' is not of type `${type.name}': ${builtins.toJSON merged}";

  declarations = foldl' (acc: m: acc // optionsOfDeep (optionsOf m) acc) { } all';
  # Options of several modules under one namespace are combined (fediversity.base and fediversity.secrets).
  optionsOfDeep =
    o: acc:
    mapAttrs (n: v: if isOption v || !(acc ? ${n}) then v else acc.${n} // optionsOfDeep v acc.${n}) o;

  config = mergeAttrs "config" declarations (map configOf all');
in
config
