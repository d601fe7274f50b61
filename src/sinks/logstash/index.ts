// The Logstash output (tcp input, json_lines codec).
export { createLogstashSink, type LogstashSinkConfig, type LogstashSinkOptions } from './sink.js';
