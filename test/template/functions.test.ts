import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { functionTable } from '../../src/template/funcs/table.js';
import { corpus } from './corpus.js';

// Function names in ESO's runtime/template/v2/sprig/functions.go (genericMap) ...
const esoSprig: string[] = ["abbrev","abbrevboth","add","add1","add1f","addf","adler32sum","ago","all","any","append","atoi","b32dec","b32enc","b64dec","b64enc","base","bcrypt","biggest","buildCustomCert","camelcase","cat","ceil","chunk","clean","coalesce","compact","concat","contains","date","dateInZone","dateModify","date_in_zone","date_modify","decryptAES","deepCopy","deepEqual","default","derivePassword","dict","dig","dir","div","divf","duration","durationRound","empty","encryptAES","ext","fail","first","float64","floor","fromJson","genCA","genCAWithKey","genPrivateKey","genSelfSignedCert","genSelfSignedCertWithKey","genSignedCert","genSignedCertWithKey","get","has","hasKey","hasPrefix","hasSuffix","hello","hexdec","htmlDate","htmlDateInZone","htpasswd","indent","initial","initials","int","int64","isAbs","join","kebabcase","keys","kindIs","kindOf","last","list","lower","max","maxf","merge","mergeOverwrite","min","minf","mod","mul","mulf","mustAppend","mustChunk","mustCompact","mustDateModify","mustDeepCopy","mustFirst","mustFromJson","mustHas","mustInitial","mustLast","mustMerge","mustMergeOverwrite","mustPrepend","mustPush","mustRegexFind","mustRegexFindAll","mustRegexMatch","mustRegexReplaceAll","mustRegexReplaceAllLiteral","mustRegexSplit","mustRest","mustReverse","mustSlice","mustToDate","mustToJson","mustToPrettyJson","mustToRawJson","mustUniq","mustWithout","must_date_modify","nindent","nospace","now","omit","osBase","osClean","osDir","osExt","osIsAbs","pick","pluck","plural","prepend","push","quote","randAlpha","randAlphaNum","randAscii","randBytes","randInt","randNumeric","regexFind","regexFindAll","regexMatch","regexQuoteMeta","regexReplaceAll","regexReplaceAllLiteral","regexSplit","repeat","replace","rest","reverse","round","semver","semverCompare","seq","set","sha1sum","sha256sum","sha512sum","shuffle","slice","snakecase","sortAlpha","split","splitList","splitn","squote","sub","subf","substr","swapcase","ternary","title","toDate","toDecimal","toJson","toPrettyJson","toRawJson","toString","toStrings","trim","trimAll","trimPrefix","trimSuffix","trimall","trunc","tuple","typeIs","typeIsLike","typeOf","uniq","unixEpoch","unset","until","untilStep","untitle","upper","urlJoin","urlParse","uuidv4","values","without","wrap","wrapWith"];
// ... plus ESO's own (runtime/template/v2/template.go tplFuncs) and text/template's builtins.
const esoOwn = ['pkcs12key', 'pkcs12keyPass', 'pkcs12cert', 'pkcs12certPass', 'pemToPkcs12', 'pemToPkcs12Pass', 'fullPemToPkcs12', 'fullPemToPkcs12Pass', 'pemTruststoreToPKCS12', 'pemTruststoreToPKCS12Pass', 'filterPEM', 'filterCertChain', 'certSANs', 'jwkPublicKeyPem', 'jwkPrivateKeyPem', 'toYaml', 'fromYaml', 'rsaDecrypt'];
const builtins = ['and', 'or', 'not', 'len', 'index', 'call', 'print', 'printf', 'println', 'html', 'js', 'urlquery', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'slice'];
const all = [...new Set([...esoSprig, ...esoOwn, ...builtins])].sort();

test('function table is exactly ESO functions + builtins (no env, expandenv, getHostByName)', () => {
  const names = [...functionTable().keys()].sort();
  assert.equal(names, all);
  for (const gone of ['env', 'expandenv', 'getHostByName']) assert.not.ok(functionTable().has(gone));
});

test('every function is exercised by the corpus', () => {
  const text = corpus.map((c) => c.template).join('\n');
  const missing = all.filter((n) => !new RegExp(`(^|[^A-Za-z0-9_.])${n}([^A-Za-z0-9_]|$)`).test(text));
  assert.equal(missing, []);
});

test.run();
