package assist

import "encoding/json"

// Server kinds, told apart by the owned_by of their /v1/models entries.
const (
	ServerLlamaCpp = "llama.cpp"
	ServerVLLM     = "vllm"
	ServerOllama   = "ollama"
)

// serverKind reads the kind of server from a model's /v1/models entry:
// llama.cpp says owned_by "llamacpp", vLLM "vllm", Ollama "library" (or
// "ollama"). Others (koboldcpp, tabbyAPI, LM Studio, OpenAI) are "".
func serverKind(raw json.RawMessage) string {
	var v struct {
		OwnedBy string `json:"owned_by"`
	}
	if len(raw) == 0 || json.Unmarshal(raw, &v) != nil {
		return ""
	}
	switch v.OwnedBy {
	case "llamacpp":
		return ServerLlamaCpp
	case "vllm":
		return ServerVLLM
	case "library", "ollama":
		return ServerOllama
	}
	return ""
}

// continuesAssistant reports whether a server continues a chat whose last
// message is the assistant's, from exactly its text: llama.cpp (assistant
// prefill, on unless started with --no-prefill-assistant), vLLM (with
// continue_final_message) and Ollama (its templates leave the last
// assistant message open). Others get a text-mode request instead.
func continuesAssistant(server string) bool {
	return server == ServerLlamaCpp || server == ServerVLLM || server == ServerOllama
}
