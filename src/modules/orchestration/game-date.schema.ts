import { z } from 'zod';
import {
  isCalendarDate,
  isWithinSupportedYears,
  OUTSIDE_SUPPORTED_YEARS,
} from '../../common/clock/calendar-days.js';

/** A calendar date YYYY-MM-DD of the supported years (stream names and read-model keys are built from it). */
export const gameDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
  .refine(isCalendarDate, 'not a calendar date')
  .refine(isWithinSupportedYears, OUTSIDE_SUPPORTED_YEARS);
