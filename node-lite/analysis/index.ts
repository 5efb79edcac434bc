// node-lite's security analysis of the Chiron consensus (whitepaper section 2.1.7): closed
// forms and seeded simulations of the 51%-attack victim ratio and the long-range attack
// bounds. See docs/security-analysis.md.

export { AnalysisError, binomBig, binomialPmf, ratioToNumber, wilson, estimate, type Estimate, type Interval } from './stats.ts';
export {
  PAPER_TABLE_2_2,
  PAPER_NETWORK,
  PAPER_PEERS,
  DEFAULT_VICTIM_RATIOS,
  victimThreshold,
  attackersFor,
  victimRatioExact,
  victimRatioBinomial,
  simulateVictimRatio,
  minAttackerRatioFor,
  victimTable,
  type VictimParams,
  type VictimRow,
  type VictimTableOptions,
} from './victim-ratio.ts';
export {
  PAPER_TABLE_2_3,
  DEFAULT_LONG_RANGE,
  checkpointModel,
  checkpointsKeepForming,
  paperMinRatio,
  paperMaxDepth,
  fixedCycleSuccess,
  adaptiveSuccess,
  publishHorizon,
  depthAtLevel,
  simulateLongRange,
  longRangeTable,
  type LongRangeParams,
  type CheckpointModel,
  type LongRangeSim,
  type LongRangeSetup,
  type LongRangeRow,
  type LongRangeAtDepth,
  type LongRangeTable,
} from './long-range.ts';
export {
  DEFAULT_VICTIM_TRIALS,
  DEFAULT_LONG_RANGE_TRIALS,
  DEFAULT_SEED,
  MAX_TRIALS,
  matchesPrinted,
  securityReport,
  type SecurityReport,
  type SecurityReportOptions,
  type VictimSection,
} from './security-report.ts';
