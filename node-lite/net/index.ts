// node-lite's network layer: the Transport interface consensus code uses, and the
// deterministic simulated network behind it. See docs/consensus-network.md.

export {
  DEFAULT_MAX_MESSAGE_BYTES,
  NetworkError,
  type NetworkErrorCode,
  type NodeId,
  type MessageHandler,
  type TimerHandle,
  type Clock,
  type Transport,
} from './transport.ts';
export { Rng, type Seed } from './rng.ts';
export { Scheduler, DEFAULT_MAX_EVENTS, type RunResult, type StopReason } from './scheduler.ts';
export { DEFAULT_LINK, type LinkConfig } from './link.ts';
export { DROP_REASONS, inFlight, type DropReason, type TrafficStats, type NodeStats } from './stats.ts';
export {
  SimNetwork,
  type SimNetworkOptions,
  type AddNodeOptions,
  type BootFn,
  type TraceEvent,
  type TraceKind,
  type TraceListener,
} from './sim-network.ts';
export {
  validateScenario,
  applyScenario,
  scenarioNetwork,
  type Scenario,
  type NormalizedScenario,
  type ScenarioNode,
  type ScenarioEvent,
  type ScenarioEventKind,
  type ScenarioBoot,
  type LinkOverride,
} from './scenario.ts';
