export namespace appsettings {
	
	export class Settings {
	    keep_serving: boolean;
	    serve_editor: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Settings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.keep_serving = source["keep_serving"];
	        this.serve_editor = source["serve_editor"];
	    }
	}

}

export namespace assist {
	
	export class ModelSettings {
	    active: boolean;
	    mode: string;
	    template: string;
	    system_prompt: string;
	    temperature: number;
	    top_p: number;
	    max_tokens: number;
	    suggestions: number;
	    stop_at_sentence: boolean;
	    color: string;
	    context_tokens: number;
	    top_logprobs: number;
	    ignore_notes: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ModelSettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.active = source["active"];
	        this.mode = source["mode"];
	        this.template = source["template"];
	        this.system_prompt = source["system_prompt"];
	        this.temperature = source["temperature"];
	        this.top_p = source["top_p"];
	        this.max_tokens = source["max_tokens"];
	        this.suggestions = source["suggestions"];
	        this.stop_at_sentence = source["stop_at_sentence"];
	        this.color = source["color"];
	        this.context_tokens = source["context_tokens"];
	        this.top_logprobs = source["top_logprobs"];
	        this.ignore_notes = source["ignore_notes"];
	    }
	}
	export class AllSettings {
	    models: Record<string, ModelSettings>;
	    active_chosen: boolean;
	    instructions: string[];
	
	    static createFrom(source: any = {}) {
	        return new AllSettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.models = this.convertValues(source["models"], ModelSettings, true);
	        this.active_chosen = source["active_chosen"];
	        this.instructions = source["instructions"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Notes {
	    memory: string;
	    authors_note: string;
	    depth: number;
	
	    static createFrom(source: any = {}) {
	        return new Notes(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.memory = source["memory"];
	        this.authors_note = source["authors_note"];
	        this.depth = source["depth"];
	    }
	}
	export class ContinueRequest {
	    fragments: string[];
	    first?: number;
	    index: number;
	    prefix: string;
	    model: string;
	    notes?: Notes;
	    client?: string;
	
	    static createFrom(source: any = {}) {
	        return new ContinueRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.fragments = source["fragments"];
	        this.first = source["first"];
	        this.index = source["index"];
	        this.prefix = source["prefix"];
	        this.model = source["model"];
	        this.notes = this.convertValues(source["notes"], Notes);
	        this.client = source["client"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ModelInfo {
	    name: string;
	    active: boolean;
	    settings: ModelSettings;
	    context_tokens: number;
	    context_from_server: boolean;
	    server: string;
	
	    static createFrom(source: any = {}) {
	        return new ModelInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.active = source["active"];
	        this.settings = this.convertValues(source["settings"], ModelSettings);
	        this.context_tokens = source["context_tokens"];
	        this.context_from_server = source["context_from_server"];
	        this.server = source["server"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	export class PromptPreview {
	    model: string;
	    endpoint: string;
	    system?: string;
	    user?: string;
	    text?: string;
	    stop?: string[];
	    trimmed_bytes: number;
	    trimmed_fragments: number;
	    trimmed?: string;
	    error?: string;
	
	    static createFrom(source: any = {}) {
	        return new PromptPreview(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.model = source["model"];
	        this.endpoint = source["endpoint"];
	        this.system = source["system"];
	        this.user = source["user"];
	        this.text = source["text"];
	        this.stop = source["stop"];
	        this.trimmed_bytes = source["trimmed_bytes"];
	        this.trimmed_fragments = source["trimmed_fragments"];
	        this.trimmed = source["trimmed"];
	        this.error = source["error"];
	    }
	}
	export class SuggestRequest {
	    fragments: string[];
	    first?: number;
	    selection: number;
	    kind: string;
	    instruction?: string;
	    target?: number;
	    notes?: Notes;
	    client?: string;
	
	    static createFrom(source: any = {}) {
	        return new SuggestRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.fragments = source["fragments"];
	        this.first = source["first"];
	        this.selection = source["selection"];
	        this.kind = source["kind"];
	        this.instruction = source["instruction"];
	        this.target = source["target"];
	        this.notes = this.convertValues(source["notes"], Notes);
	        this.client = source["client"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace config {
	
	export class Problem {
	    path: string;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new Problem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.message = source["message"];
	    }
	}

}

export namespace discovery {
	
	export class EndpointReport {
	    Index: number;
	    Label: string;
	    Target: string;
	    Probed: number;
	    Answered: number;
	    Refused: number;
	    Kept: number;
	    Models: number;
	    Errors: string[];
	    Skipped: boolean;
	    Duration: number;
	    Via: string;
	    Tunnel: boolean;
	    SSHError: string;
	    Ports: number[];
	
	    static createFrom(source: any = {}) {
	        return new EndpointReport(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.Index = source["Index"];
	        this.Label = source["Label"];
	        this.Target = source["Target"];
	        this.Probed = source["Probed"];
	        this.Answered = source["Answered"];
	        this.Refused = source["Refused"];
	        this.Kept = source["Kept"];
	        this.Models = source["Models"];
	        this.Errors = source["Errors"];
	        this.Skipped = source["Skipped"];
	        this.Duration = source["Duration"];
	        this.Via = source["Via"];
	        this.Tunnel = source["Tunnel"];
	        this.SSHError = source["SSHError"];
	        this.Ports = source["Ports"];
	    }
	}
	export class Report {
	    // Go type: time
	    Started: any;
	    Duration: number;
	    Models: number;
	    Added: string[];
	    Removed: string[];
	    Workers: number;
	    Endpoints: EndpointReport[];
	
	    static createFrom(source: any = {}) {
	        return new Report(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.Started = this.convertValues(source["Started"], null);
	        this.Duration = source["Duration"];
	        this.Models = source["Models"];
	        this.Added = source["Added"];
	        this.Removed = source["Removed"];
	        this.Workers = source["Workers"];
	        this.Endpoints = this.convertValues(source["Endpoints"], EndpointReport);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace documents {
	
	export class Notes {
	    memory?: string;
	    authors_note?: string;
	    depth: number;
	
	    static createFrom(source: any = {}) {
	        return new Notes(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.memory = source["memory"];
	        this.authors_note = source["authors_note"];
	        this.depth = source["depth"];
	    }
	}
	export class Draft {
	    index: number;
	    mode: string;
	    text: string;
	
	    static createFrom(source: any = {}) {
	        return new Draft(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.index = source["index"];
	        this.mode = source["mode"];
	        this.text = source["text"];
	    }
	}
	export class TokenAlt {
	    Text: string;
	    P: number;
	
	    static createFrom(source: any = {}) {
	        return new TokenAlt(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.Text = source["Text"];
	        this.P = source["P"];
	    }
	}
	export class TokenAlts {
	    Index: number;
	    Alts: TokenAlt[];
	
	    static createFrom(source: any = {}) {
	        return new TokenAlts(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.Index = source["Index"];
	        this.Alts = this.convertValues(source["Alts"], TokenAlt);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Tokens {
	    len: number[];
	    p: number[];
	    alts?: TokenAlts[];
	
	    static createFrom(source: any = {}) {
	        return new Tokens(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.len = source["len"];
	        this.p = source["p"];
	        this.alts = this.convertValues(source["alts"], TokenAlts);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Fragment {
	    text: string;
	    source?: string;
	    edited?: boolean;
	    alternatives?: string[];
	    alt?: number;
	    tokens?: Tokens;
	
	    static createFrom(source: any = {}) {
	        return new Fragment(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.text = source["text"];
	        this.source = source["source"];
	        this.edited = source["edited"];
	        this.alternatives = source["alternatives"];
	        this.alt = source["alt"];
	        this.tokens = this.convertValues(source["tokens"], Tokens);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Document {
	    format: number;
	    id: string;
	    name: string;
	    // Go type: time
	    created: any;
	    // Go type: time
	    modified: any;
	    revision: number;
	    fragments: Fragment[];
	    selection: number;
	    draft?: Draft;
	    notes?: Notes;
	
	    static createFrom(source: any = {}) {
	        return new Document(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.format = source["format"];
	        this.id = source["id"];
	        this.name = source["name"];
	        this.created = this.convertValues(source["created"], null);
	        this.modified = this.convertValues(source["modified"], null);
	        this.revision = source["revision"];
	        this.fragments = this.convertValues(source["fragments"], Fragment);
	        this.selection = source["selection"];
	        this.draft = this.convertValues(source["draft"], Draft);
	        this.notes = this.convertValues(source["notes"], Notes);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class ExportedFile {
	    name: string;
	    mime: string;
	    content: string;
	
	    static createFrom(source: any = {}) {
	        return new ExportedFile(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.mime = source["mime"];
	        this.content = source["content"];
	    }
	}
	
	export class Problem {
	    id: string;
	    path: string;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new Problem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.path = source["path"];
	        this.message = source["message"];
	    }
	}
	export class Meta {
	    id: string;
	    name: string;
	    title: string;
	    // Go type: time
	    created: any;
	    // Go type: time
	    modified: any;
	    fragments: number;
	    words: number;
	    size: number;
	    revision: number;
	
	    static createFrom(source: any = {}) {
	        return new Meta(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.title = source["title"];
	        this.created = this.convertValues(source["created"], null);
	        this.modified = this.convertValues(source["modified"], null);
	        this.fragments = source["fragments"];
	        this.words = source["words"];
	        this.size = source["size"];
	        this.revision = source["revision"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Listing {
	    documents: Meta[];
	    problems: Problem[];
	
	    static createFrom(source: any = {}) {
	        return new Listing(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.documents = this.convertValues(source["documents"], Meta);
	        this.problems = this.convertValues(source["problems"], Problem);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	export class Patch {
	    id: string;
	    base: number;
	    at: number;
	    remove: number;
	    insert: Fragment[];
	    name: string;
	    selection: number;
	    draft?: Draft;
	    notes?: Notes;
	
	    static createFrom(source: any = {}) {
	        return new Patch(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.base = source["base"];
	        this.at = source["at"];
	        this.remove = source["remove"];
	        this.insert = this.convertValues(source["insert"], Fragment);
	        this.name = source["name"];
	        this.selection = source["selection"];
	        this.draft = this.convertValues(source["draft"], Draft);
	        this.notes = this.convertValues(source["notes"], Notes);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class Snapshot {
	    id: string;
	    // Go type: time
	    time: any;
	    size: number;
	    fragments: number;
	    words: number;
	    error?: string;
	
	    static createFrom(source: any = {}) {
	        return new Snapshot(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.time = this.convertValues(source["time"], null);
	        this.size = source["size"];
	        this.fragments = source["fragments"];
	        this.words = source["words"];
	        this.error = source["error"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	

}

export namespace llproxy {
	
	export class LogAttr {
	    key: string;
	    value: string;
	
	    static createFrom(source: any = {}) {
	        return new LogAttr(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.key = source["key"];
	        this.value = source["value"];
	    }
	}
	export class LogEntry {
	    seq: number;
	    // Go type: time
	    time: any;
	    level: string;
	    message: string;
	    attrs?: LogAttr[];
	
	    static createFrom(source: any = {}) {
	        return new LogEntry(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.seq = source["seq"];
	        this.time = this.convertValues(source["time"], null);
	        this.level = source["level"];
	        this.message = source["message"];
	        this.attrs = this.convertValues(source["attrs"], LogAttr);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ModelInfo {
	    name: string;
	    id: string;
	    tags?: string[];
	    replicas: string[];
	    raw?: number[];
	
	    static createFrom(source: any = {}) {
	        return new ModelInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.id = source["id"];
	        this.tags = source["tags"];
	        this.replicas = source["replicas"];
	        this.raw = source["raw"];
	    }
	}
	export class PortInUseError {
	    host: string;
	    port: number;
	    llproxy: boolean;
	    instance?: string;
	    version?: string;
	    baseUrl: string;
	
	    static createFrom(source: any = {}) {
	        return new PortInUseError(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.host = source["host"];
	        this.port = source["port"];
	        this.llproxy = source["llproxy"];
	        this.instance = source["instance"];
	        this.version = source["version"];
	        this.baseUrl = source["baseUrl"];
	    }
	}
	export class Status {
	    running: boolean;
	    listenAddr: string;
	    baseUrl: string;
	    instance: string;
	    version: string;
	    configPath: string;
	    error?: string;
	    problems?: config.Problem[];
	    warning?: string;
	    portInUse?: PortInUseError;
	    models: ModelInfo[];
	    discovery: discovery.Report;
	
	    static createFrom(source: any = {}) {
	        return new Status(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.running = source["running"];
	        this.listenAddr = source["listenAddr"];
	        this.baseUrl = source["baseUrl"];
	        this.instance = source["instance"];
	        this.version = source["version"];
	        this.configPath = source["configPath"];
	        this.error = source["error"];
	        this.problems = this.convertValues(source["problems"], config.Problem);
	        this.warning = source["warning"];
	        this.portInUse = this.convertValues(source["portInUse"], PortInUseError);
	        this.models = this.convertValues(source["models"], ModelInfo);
	        this.discovery = this.convertValues(source["discovery"], discovery.Report);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace webapi {
	
	export class Invitation {
	    on: boolean;
	    urls: string[];
	    exposed: boolean;
	    key: string;
	    qr: string;
	    note: string;
	
	    static createFrom(source: any = {}) {
	        return new Invitation(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.on = source["on"];
	        this.urls = source["urls"];
	        this.exposed = source["exposed"];
	        this.key = source["key"];
	        this.qr = source["qr"];
	        this.note = source["note"];
	    }
	}

}

