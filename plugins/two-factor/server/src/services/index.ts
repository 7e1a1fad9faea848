import adminSignIn from './admin-sign-in';
import apiSignIn from './api-sign-in';
import challenges from './challenges';
import events from './events';
import factors from './factors';
import failureLimits from './failure-limits';
import redis from './redis';
import secondStep from './second-step';
import sessions from './sessions';
import settings from './settings';

export default { adminSignIn, apiSignIn, challenges, events, factors, failureLimits, redis, secondStep, sessions, settings };
